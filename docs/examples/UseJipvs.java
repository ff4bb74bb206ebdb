import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.util.List;

/** A virtual service with two NAT real servers in one batch, the table listed, and an error in kernel terms. */
public final class UseJipvs {
    public static void main(String[] args) {
        try (Ipvs ipvs = IpvsClient.open()) {
            ServiceKey web = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);
            List<IpvsResult> results = ipvs.apply(List.of(
                    new IpvsMutation.AddService(Service.builder(web).scheduler("wrr").build()),
                    new IpvsMutation.AddDestination(web, Destination.of(Addresses.literal("10.0.0.11"), 80)
                            .withForwarding(ForwardingMethod.MASQ).withWeight(3)),
                    new IpvsMutation.AddDestination(web, Destination.of(Addresses.literal("10.0.0.12"), 80)
                            .withForwarding(ForwardingMethod.MASQ))));
            System.out.println(results.size() + " changes in one batch");
            for (ServiceEntry s : ipvs.services()) {
                System.out.println(s.key() + " " + s.service().scheduler());
                for (DestinationEntry d : ipvs.destinations(s.key())) {
                    System.out.println("  -> " + d.destination() + ", " + d.activeConnections() + " active");
                }
            }
            try {
                ipvs.addService(Service.builder(web).build());
            } catch (IpvsException e) {
                // In kernel terms: the operation and the errno (ipvsadm's wording is the CLI's business).
                System.out.println(e.ipvsOperation() + " failed: errno " + e.errno());
            }
        }
    }
}
