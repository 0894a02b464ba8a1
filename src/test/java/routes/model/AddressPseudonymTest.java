package routes.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressPseudonymTest {

    private final AddressPseudonym dave = new AddressPseudonym("dave@example.org", "sha256:ab");

    @Test
    void theAddressIsReplacedInAnyCaseAndAsOftenAsItStands() {
        assertThat(dave.erase("{\"recipient\":\"Dave@Example.org\",\"to\":[\"dave@example.org\"]}"))
                .contains("{\"recipient\":\"sha256:ab\",\"to\":[\"sha256:ab\"]}");
    }

    @Test
    void textNotNamingTheAddressIsLeftAlone() {
        assertThat(dave.erase("eve@example.org")).isEmpty();
    }
}
