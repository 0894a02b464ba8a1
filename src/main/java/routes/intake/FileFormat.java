package routes.intake;

import java.util.Locale;

/** Campaign file formats, told apart by extension (content sniffing only explains a lying extension). */
public enum FileFormat {
    JSON, CSV, MANIFEST, JSONL, UNKNOWN;

    public static final String MANIFEST_SUFFIX = ".manifest.json";

    public static FileFormat of(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        if (name.endsWith(MANIFEST_SUFFIX)) {
            return MANIFEST;
        }
        if (name.endsWith(".jsonl")) {
            return JSONL;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        return name.endsWith(".csv") ? CSV : UNKNOWN;
    }
}
