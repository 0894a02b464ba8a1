package routes.localaws;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import routes.Application;

/**
 * {@code mvn spring-boot:test-run}: the product on the embedded AWS, profile {@code local}, with a
 * banner that says where everything is.
 */
public final class LocalMailroutes {

    private LocalMailroutes() {
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(Application.class);
        app.setAdditionalProfiles("local");
        ConfigurableApplicationContext context = app.run(args);
        Environment env = context.getEnvironment();
        LocalAws aws = LocalAws.get();
        String api = "http://localhost:" + env.getProperty("local.server.port") + "/api/v1";
        System.out.printf("""

                ── mailroutes is running on the embedded AWS ───────────────────────────────
                  Console      http://localhost:%s/console/   (API key: local-dev-key)
                  API          %s   (header X-API-Key: local-dev-key)
                  Health       http://localhost:%s/readyz   (details, metrics: http://localhost:%s/actuator)
                  Bucket       s3://%s  (drop campaign files under inbox/)
                  Outbox       %s  (one .eml per accepted mail)
                  Endpoints    %s
                  Credentials  any access key; the embedded AWS accepts every signature
                ────────────────────────────────────────────────────────────────────────────
                %n""",
                env.getProperty("local.server.port"), api, env.getProperty("local.server.port"),
                env.getProperty("local.management.port"),
                env.getProperty("mailroutes.aws.bucket"),
                aws.outbox(), aws.endpoints());
        dropSampleCampaign(context, env.getProperty("mailroutes.aws.bucket"));
    }

    /** The bundled sample campaign goes into the inbox, so a newcomer sees the whole flow run. */
    private static void dropSampleCampaign(ConfigurableApplicationContext context, String bucket) {
        try (java.io.InputStream sample = LocalMailroutes.class.getResourceAsStream("/samples/welcome-campaign.json")) {
            byte[] content = sample.readAllBytes();
            context.getBean(software.amazon.awssdk.services.s3.S3Client.class).putObject(
                    b -> b.bucket(bucket).key("inbox/welcome-campaign.json"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
            System.out.printf("  Sample       s3://%s/inbox/welcome-campaign.json dropped; see reports/ and accepted/%n", bucket);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
