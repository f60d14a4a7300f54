package dev.gafail.s3mock;

import java.util.Collection;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds S3Mock's extra plain-HTTP connector to 127.0.0.1, where everything the lab starts listens:
 * {@code server.address} binds only the main one, and S3Mock adds the other (its {@code http-port})
 * on every interface, with no setting to change that. It sets the address on the web server
 * factory's additional connectors before the server binds them; the factory is Spring Boot's, whose
 * jar the mirror lacks, so its {@code additionalConnectors} are read as a bean property.
 */
public final class LoopbackConnectors implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String LOOPBACK = "127.0.0.1";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean);
                if (wrapper.isReadableProperty("additionalConnectors")
                        && wrapper.getPropertyValue("additionalConnectors") instanceof Collection<?> connectors) {
                    connectors.forEach(c -> ((Connector) c).setProperty("address", LOOPBACK));
                }
                return bean;
            }
        });
    }
}
