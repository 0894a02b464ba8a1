package routes.intake;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one campaign file format in two streaming passes: the campaign fields, then the rows. Neither
 * pass holds more than one row in memory, so file size is bounded by S3, not by the heap.
 */
public interface CampaignFileParser {

    FileFormat format();

    /**
     * @param definition the manifest (CSV) or the file itself (JSON, JSONL)
     * @param fallbackId the campaign id derived from key and ETag, used when the file names none
     */
    CampaignDefinition definition(InputStream definition, String fallbackId) throws IOException;

    void rows(InputStream recipients, CampaignDefinition campaign, RowSink sink) throws IOException;
}
