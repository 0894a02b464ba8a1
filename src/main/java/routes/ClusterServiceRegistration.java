package routes;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the cluster service bean (file lock locally, Kubernetes Lease in production) to Camel before
 * the routes start. Without it the YAML routes are built before camel-spring-boot registers the
 * service, and {@code master:} fails with "No cluster service found". In the root package because every
 * flow with a single-active (master:) route depends on it, not intake alone.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterServiceRegistration {

    @Bean
    CamelContextConfiguration registerClusterServices(List<CamelClusterService> services) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                for (CamelClusterService service : services) {
                    if (!context.hasService(service)) {
                        try {
                            context.addService(service, true, true);
                        } catch (Exception e) {
                            throw new IllegalStateException("cannot register cluster service " + service.getId(), e);
                        }
                    }
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing to do once started
            }
        };
    }
}
