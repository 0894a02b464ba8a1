package routes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {

    private final UnsubscribeToken tokens = new UnsubscribeToken("secret-one");

    @Test
    void aSignedTokenVerifiesToItsMessageId() {
        String token = tokens.sign("6f1c7a9e-1111-3222-8333-944455556666");
        assertThat(token).matches("[0-9a-f-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.verify(token)).contains("6f1c7a9e-1111-3222-8333-944455556666");
    }

    @Test
    void forgedOrMalformedTokensDoNotVerify() {
        String token = tokens.sign("m-1");
        assertThat(tokens.verify("m-2" + token.substring(3))).isEmpty();
        assertThat(new UnsubscribeToken("secret-two").verify(token)).isEmpty();
        assertThat(tokens.verify("no-signature")).isEmpty();
        assertThat(tokens.verify(".abc")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void aMissingSecretFailsAtStart() {
        assertThatThrownBy(() -> new UnsubscribeToken(" ")).hasMessageContaining("mailroutes.send.unsubscribe-secret");
    }
}
