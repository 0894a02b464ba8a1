package routes.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {

    private final UnsubscribeToken tokens = new UnsubscribeToken("secret");

    @Test
    void aSignedTokenVerifiesToItsMessageId() {
        String token = tokens.sign("3f1c0d2e-1111-2222-3333-444455556666");
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(tokens.verify(token)).contains("3f1c0d2e-1111-2222-3333-444455556666");
    }

    @Test
    void anotherSecretOrAnyAlterationVerifiesToNothing() {
        String token = tokens.sign("m-1");
        assertThat(new UnsubscribeToken("other").verify(token)).isEmpty();
        assertThat(tokens.verify(token.substring(1))).isEmpty();
        assertThat(tokens.verify(token + "A")).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("%%%")).isEmpty();
    }
}
