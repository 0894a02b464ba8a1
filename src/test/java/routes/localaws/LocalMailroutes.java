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
                  API          %s   (header X-API-Key: local-dev-key)
                  Health       http://localhost:%s/actuator/health
                  Bucket       s3://%s  (drop campaign files under inbox/)
                  Outbox       %s  (one .eml per accepted mail)
                  Endpoints    %s
                  Credentials  any access key; the embedded AWS accepts every signature
                ────────────────────────────────────────────────────────────────────────────
                %n""",
                api, env.getProperty("local.server.port"), env.getProperty("mailroutes.aws.bucket"),
                aws.outbox(), aws.endpoints());
    }
}
