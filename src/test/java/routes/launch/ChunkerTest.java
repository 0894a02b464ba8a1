package routes.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import routes.model.SendChunk;

class ChunkerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final SendChunk envelope = new SendChunk("c1", 0, "News <news@example.com>", null, "mailroutes",
            Map.of("kind", "test"), List.of());

    @Test
    void splitsByRecipientCountAndProducesValidSendChunks() throws Exception {
        List<Chunker.Encoded> out = new ArrayList<>();
        Chunker chunker = new Chunker(json, envelope, 500, 200_000, out::add);
        for (int i = 0; i < 1234; i++) {
            chunker.add(recipient(i, "x"));
        }

        assertThat(chunker.finish()).isEqualTo(3);
        assertThat(out).extracting(Chunker.Encoded::recipients).containsExactly(500, 500, 234);
        SendChunk last = json.readValue(out.get(2).json(), SendChunk.class);
        assertThat(last.chunk()).isEqualTo(2);
        assertThat(last.from()).isEqualTo("News <news@example.com>");
        assertThat(last.recipients().get(0).email()).isEqualTo("user1000@example.org");
    }

    @Test
    void neverExceedsTheByteLimit() {
        List<Chunker.Encoded> out = new ArrayList<>();
        Chunker chunker = new Chunker(json, envelope, 500, 200_000, out::add);
        String large = "y".repeat(2_000);
        for (int i = 0; i < 500; i++) {
            chunker.add(recipient(i, large));
        }
        chunker.finish();

        assertThat(out).hasSizeGreaterThan(1);
        assertThat(out).allSatisfy(c -> assertThat(c.bytes()).isLessThanOrEqualTo(200_000));
        assertThat(out.stream().mapToInt(Chunker.Encoded::recipients).sum()).isEqualTo(500);
    }

    private static SendChunk.Recipient recipient(int i, String note) {
        return new SendChunk.Recipient("m" + i, "user" + i + "@example.org", "welcome", null, null, "all",
                Map.of("firstName", "User" + i, "note", note));
    }
}
