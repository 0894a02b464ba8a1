package routes.send;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The campaign split's threads ({@code executorService: sendRecipientThreads} in send.yaml), shared by every
 * campaign chunk (transactional mail is sent on its consumer's thread): a recipient holds one while it waits
 * for its SES slot and through its AWS calls. Camel's default pool (10 threads) capped a replica at ~200
 * emails/s once each call takes 15 ms, as against real AWS. A Camel thread pool profile, not a Spring
 * executor bean, which would switch off Spring Boot's own task executor.
 */
@Component
class SendThreads implements CamelContextConfiguration {

    static final String PROFILE = "sendRecipientThreads";

    private final int threads;

    SendThreads(SendProperties send) {
        this.threads = send.parallelRecipients();
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getExecutorServiceManager().registerThreadPoolProfile(
                new ThreadPoolProfileBuilder(PROFILE).poolSize(threads).maxPoolSize(threads).build());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing to do once the routes run
    }
}
