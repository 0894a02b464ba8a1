package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    // sha256("local-dev-key")
    private static final String HASH = "ed5a18fb8f807f996d649e379d3f35f39c543a91bdbf88c492f2ebd10d4df86c";

    private final ApiKeys keys = new ApiKeys(new ApiProperties(List.of(new ApiProperties.Key("local-dev", HASH,
            Set.of(ApiProperties.Scope.READ), null)), 3, 100, 10), new ApiContract(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void theKeyWhoseHashIsConfiguredIsAcceptedOthersAre401() {
        assertThatCode(() -> keys.check("local-dev-key")).doesNotThrowAnyException();
        assertThatThrownBy(() -> keys.check("local-dev-key ")).isInstanceOfSatisfying(ApiProblem.class, p -> assertStatus(p, 401));
        assertThatThrownBy(() -> keys.check(HASH)).isInstanceOfSatisfying(ApiProblem.class, p -> assertStatus(p, 401));
        assertThatThrownBy(() -> keys.check(null)).isInstanceOfSatisfying(ApiProblem.class, p -> assertStatus(p, 401));
    }

    @Test
    void moreRequestsInOneSecondThanAllowedAre429() {
        for (int i = 0; i < 3; i++) {
            keys.check("local-dev-key");
        }
        assertThatThrownBy(() -> keys.check("local-dev-key")).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertStatus(p, 429);
            assertThat(p.retryAfter()).isEqualTo(1);
        });
    }

    private static void assertStatus(ApiProblem problem, int status) {
        assertThat(problem.status()).isEqualTo(status);
    }
}
