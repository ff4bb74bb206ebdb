package io.jipvs.cli.realserver;

import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.net.InetAddress;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --service PROTOCOL:VIP:PORT (an IPv6 VIP in brackets): the virtual service a director helper is about. */
final class ServiceOption implements ITypeConverter<ServiceKey> {

    @Override
    public ServiceKey convert(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || last == first) {
            throw new TypeConversionException("'" + text + "' is not PROTOCOL:VIP:PORT (tcp:192.0.2.10:80, udp:[2001:db8::10]:53)");
        }
        Protocol protocol = switch (text.substring(0, first).toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "sctp" -> Protocol.SCTP;
            default -> throw new TypeConversionException("'" + text + "': the protocol must be tcp, udp or sctp");
        };
        String host = text.substring(first + 1, last);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new TypeConversionException("'" + text + "': write an IPv6 VIP in brackets, as tcp:[2001:db8::10]:80");
        }
        InetAddress vip;
        try {
            vip = Vips.parseOne(host);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "': " + e.getMessage());
        }
        String port = text.substring(last + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new TypeConversionException("'" + text + "': the port must be 1..65535");
        }
        return ServiceKey.of(protocol, vip, Integer.parseInt(port));
    }
}
