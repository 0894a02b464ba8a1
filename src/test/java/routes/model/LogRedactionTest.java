package routes.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogRedactionTest {

    @Test
    void addressesInSesErrorTextAreReplaced() {
        assertThat(LogRedaction.withoutAddresses("Email address is not verified. The following identities failed "
                + "the check in region EU-WEST-1: News <news@example.com>, reject+1@simulator.amazonses.com."))
                .isEqualTo("Email address is not verified. The following identities failed the check in region "
                        + "EU-WEST-1: News <<address>>, <address>");
    }

    @Test
    void textWithoutAddressesIsKept() {
        assertThat(LogRedaction.withoutAddresses("Maximum sending rate exceeded.")).isEqualTo("Maximum sending rate exceeded.");
        assertThat(LogRedaction.withoutAddresses(null)).isNull();
    }
}
