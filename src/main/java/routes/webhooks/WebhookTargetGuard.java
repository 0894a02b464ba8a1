package routes.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Keeps webhooks from reaching internal hosts (SSRF): only http(s), and unless
 * {@code mailroutes.webhooks.allow-private-targets} no loopback, link-local, private-range, wildcard
 * or multicast address. Checked at every delivery, so a DNS change after registration is caught too.
 */
@Component
public class WebhookTargetGuard {

    private final boolean allowPrivateTargets;

    public WebhookTargetGuard(WebhookProperties properties) {
        this.allowPrivateTargets = properties.allowPrivateTargets();
    }

    public void check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ForbiddenWebhookTarget("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ForbiddenWebhookTarget("scheme must be http or https, was '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new ForbiddenWebhookTarget("URL has no host");
        }
        if (allowPrivateTargets) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isInternal(address)) {
                    throw new ForbiddenWebhookTarget("host resolves to an internal address");
                }
            }
        } catch (UnknownHostException e) {
            throw new ForbiddenWebhookTarget("host does not resolve");
        }
    }

    static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean carrierGradeNat = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierGradeNat;
    }
}
