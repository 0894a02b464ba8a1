package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenAddressesTest {

    @Test
    void theFirstOccurrenceWinsWhateverTheCase() {
        SeenAddresses seen = new SeenAddresses();
        assertThat(seen.add("Ann@example.org")).isTrue();
        assertThat(seen.add("ann@EXAMPLE.org")).isFalse();
        assertThat(seen.add("bob@example.org")).isTrue();
    }

    @Test
    void growsPastItsInitialTableWithoutLosingAddresses() {
        SeenAddresses seen = new SeenAddresses();
        for (int i = 0; i < 200_000; i++) {
            assertThat(seen.add("user" + i + "@example.org")).isTrue();
        }
        assertThat(seen.add("user123456@example.org")).isFalse();
    }
}
