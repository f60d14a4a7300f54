package dev.gafail.s3mock;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Makes S3Mock's conditional writes atomic, as S3's are: S3Mock checks {@code If-None-Match} and
 * {@code If-Match} and then writes, unlocked in between, so writers racing for one key could all win
 * (twenty racers saw up to ten 200s). A servlet filter lets one conditional PUT or DELETE of a key
 * run at a time, so its check and its write cannot interleave with another's; every other request
 * passes as it came. Spring Boot registers a {@code Filter} bean in the servlet container by itself.
 */
public final class AtomicConditionalWrites implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton("gafailAtomicConditionalWrites", new OneWriterPerKey());
    }

    /** One conditional write of a key at a time. */
    static final class OneWriterPerKey implements Filter {

        private final ConcurrentHashMap<String, Object> keys = new ConcurrentHashMap<>();

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!(request instanceof HttpServletRequest http) || !conditionalWrite(http)) {
                chain.doFilter(request, response);
                return;
            }
            synchronized (keys.computeIfAbsent(http.getRequestURI(), key -> new Object())) {
                chain.doFilter(request, response);
            }
        }

        private static boolean conditionalWrite(HttpServletRequest http) {
            String method = http.getMethod();
            return (method.equals("PUT") || method.equals("DELETE"))
                    && (http.getHeader("If-None-Match") != null || http.getHeader("If-Match") != null);
        }
    }
}
