package io.jipvs.cli.format;

import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceEntry;
import java.util.List;

/** A service with its destinations, in the order they are to be printed. */
public record ServiceView(ServiceEntry entry, List<DestinationEntry> destinations) {
    public ServiceView {
        destinations = List.copyOf(destinations);
    }
}
