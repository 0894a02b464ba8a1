package routes.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The campaign console (docs/console.md) on the API port: the files under {@code classpath:console/} at
 * {@code /console/}, and Chart.js from its WebJar at {@code /console/lib/chart/}. Nothing else is served as a
 * static file ({@code spring.web.resources.add-mappings: false}). The page holds an API key in its session
 * storage, so it gets a Content-Security-Policy that runs only these files: no inline script, no other origin.
 */
@Configuration
public class ConsoleResources implements WebMvcConfigurer {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        CacheControl revalidate = CacheControl.noCache();
        registry.addResourceHandler("/console/lib/chart/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/")
                .setCacheControl(revalidate);
        registry.addResourceHandler("/console/**").addResourceLocations("classpath:/console/").setCacheControl(revalidate);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                response.setHeader("Content-Security-Policy", CSP);
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Referrer-Policy", "no-referrer");
                return true;
            }
        }).addPathPatterns("/console", "/console/**");
    }

    /** The WebJar's version, from its Maven metadata: the pom pins it once. */
    private static String chartJsVersion() {
        try (InputStream in = ConsoleResources.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("The Chart.js WebJar (org.webjars.npm:chart.js) is not on the classpath");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
