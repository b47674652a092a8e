package dev.archon.traceability.console;

import java.io.IOException;
import java.io.InputStream;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's Jolokia restrictor: the policy of {@code jolokia-access.xml} (reads everywhere; operations only on
 * Camel routes, read-only dumps and firing a Quartz trigger), loaded from the service's own class path so a missing
 * file stops the console instead of opening every MBean, with each refused write or operation logged. Jolokia
 * creates it by name (the {@code restrictorClass} init parameter) inside Hawtio's web application.
 */
public final class JolokiaPolicy implements Restrictor {

    /** The policy file; also Jolokia's default location, which Camel's /observe/jolokia reads. */
    public static final String LOCATION = "jolokia-access.xml";

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaPolicy.class);

    private final Restrictor policy;

    public JolokiaPolicy() {
        this.policy = load();
    }

    static PolicyRestrictor load() {
        try (InputStream in = JolokiaPolicy.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is missing from the class path: the console's Jolokia"
                        + " would allow every MBean, so it does not start");
            }
            return new PolicyRestrictor(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOCATION + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return policy.isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return logged(policy.isAttributeWriteAllowed(name, attribute), "write of attribute " + attribute, name);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return logged(policy.isOperationAllowed(name, operation), "operation " + operation, name);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return policy.isOriginAllowed(origin, onlyWhenStrictCheckingIsEnabled);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }

    private static boolean logged(boolean allowed, String what, ObjectName name) {
        if (!allowed) {
            LOG.warn("Console: Jolokia refused the {} on {} (not allowed by {})", what, name, LOCATION);
        }
        return allowed;
    }

    @Override
    public String toString() {
        return "JolokiaPolicy[" + LOCATION + "]";
    }
}
