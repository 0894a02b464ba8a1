package routes.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Upload URLs of {@code POST /api/v1/uploads} ({@code mailroutes.api.uploads.*}).
 *
 * @param expiry   how long a URL may be used; short, since whoever holds it may write the object (SigV4: at most 7 days)
 * @param maxBytes largest upload (at most the contract's 100 MiB); the URL is signed for the stated size, so S3 refuses any other
 */
@Validated
@ConfigurationProperties("mailroutes.api.uploads")
public record UploadProperties(
        @DurationMin(seconds = 1) @DurationMax(days = 7) Duration expiry,
        @Min(1) @Max(104_857_600) long maxBytes) {}
