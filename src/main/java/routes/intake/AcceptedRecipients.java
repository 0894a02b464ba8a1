package routes.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import routes.model.SendChunk;
import routes.store.LaunchProgress;

/**
 * Intake's one entry point for the launch: the recipients of an accepted campaign, read again from its
 * archived file with the parser and the row rules that accepted it. The launch keeps no file format or
 * validation rule of its own, so what goes out is exactly what the intake report counted as accepted.
 */
@Component
public class AcceptedRecipients {

    private final CampaignIntake intake;
    private final CampaignObjects objects;
    private final CampaignValidator validator;

    public AcceptedRecipients(CampaignIntake intake, CampaignObjects objects, CampaignValidator validator) {
        this.intake = intake;
        this.objects = objects;
        this.validator = validator;
    }

    /** The chunk every chunk of the campaign copies (sender, reply-to, configuration set, tags), without recipients. */
    public SendChunk chunkTemplate(LaunchProgress.Launchable campaign) {
        CampaignDefinition definition = intake.definition(campaign.definition());
        return new SendChunk(campaign.campaignId(), 0, definition.from(), definition.replyTo(), definition.configurationSet(),
                definition.tags(), campaign.reclaim().isEmpty() ? null : campaign.reclaim(), List.of());
    }

    /**
     * Streams the accepted recipients in file order; returns how many. Rows intake refused are skipped
     * silently here: they are in the campaign's report already.
     */
    public long forEach(LaunchProgress.Launchable campaign, Consumer<SendChunk.Recipient> each) {
        CampaignDefinition definition = intake.definition(campaign.definition());
        CampaignFileParser parser = intake.parser(FileFormat.valueOf(campaign.format()));
        CampaignValidator.Rows rows = validator.rows(definition, campaign.sendAt());
        long[] accepted = {0};
        String rowsKey = campaign.recipientsKey() == null ? campaign.sourceKey() : campaign.recipientsKey();
        try (InputStream in = objects.open(rowsKey)) {
            parser.rows(in, definition, new RowSink() {
                @Override
                public void row(Row row) {
                    rows.check(row, problem -> { }).ifPresent(recipient -> {
                        accepted[0]++;
                        each.accept(recipient.toChunkRecipient(campaign.campaignId()));
                    });
                }

                @Override
                public void problem(Problem problem) {
                    // reported at intake
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return accepted[0];
    }
}
