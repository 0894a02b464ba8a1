package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressValidatorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ann@example.org|ann@example.org",
            "  Ann.Lee+news@Example.ORG |Ann.Lee+news@example.org",
            "kai@bücher.example|kai@xn--bcher-kva.example",
            "\"john doe\"@example.org|\"john doe\"@example.org",
            "o'brien@example.co.uk|o'brien@example.co.uk"})
    void acceptsAndNormalises(String raw, String sent) {
        assertThat(AddressValidator.check(raw).address()).isEqualTo(sent);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not an address|not an address",
            "ann@|not an address",
            "ann..lee@example.org|not RFC 5322",
            "jörg@example.org|non-ASCII local part",
            "ann@localhost|at least two labels",
            "ann@-bad-.example|not a valid",
            "ann@[127.0.0.1]|not a valid"})
    void refusesWithAReason(String raw, String reason) {
        assertThat(AddressValidator.check(raw).problem()).contains(reason);
    }
}
