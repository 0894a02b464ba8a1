package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import routes.launch.LaunchProperties;

/** The cheap bound never lets through a recipient whose exact JSON would not fit the launch message. */
class MessageRoomTest {

    private final MessageRoom.Campaign room = new MessageRoom(
            new LaunchProperties("0/15 * * * * ?", 500, 200_000, 262_144, Duration.ofMinutes(2), List.of()))
            .of(new CampaignDefinition("room", null, null, "news@example.com", null, null, "welcome", Map.of(),
                    null, Map.of("season", "spring"), null, List.of()));

    @Test
    void controlCharactersCountAsTheirSixByteEscapes() {
        assertThat(room.check(recipient("\u0001".repeat(33_000)))).isEmpty();
        assertThat(room.check(recipient("\u0001".repeat(33_300))))
                .hasValueSatisfying(problem -> assertThat(problem.reason())
                        .contains("at most 200000 fit (mailroutes.launch.max-chunk-bytes)"));
    }

    @Test
    void aNestedVariableIsMeasuredExactly() {
        assertThat(room.check(recipient(Map.of("items", List.of("x".repeat(150_000)))))).isEmpty();
        assertThat(room.check(recipient(Map.of("items", List.of("x".repeat(100_000), "y".repeat(100_000))))))
                .hasValueSatisfying(problem -> assertThat(problem.field()).isEqualTo("items"));
    }

    private static Recipient recipient(Object value) {
        return new Recipient(2, null, "ann@example.org", "welcome", null, null, Map.of(), Map.of("note", value));
    }

    private static Recipient recipient(Map<String, Object> variables) {
        return new Recipient(2, null, "ann@example.org", "welcome", null, null, Map.of(), variables);
    }
}
