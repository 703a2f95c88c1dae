package io.snapbus.client;

import io.snapbus.api.catalog.AddBackendRequest;
import io.snapbus.api.catalog.Backend;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code snapbus backend}: the storage nodes the catalog places tablets on (ALTER SYSTEM ADD BACKEND). */
@Command(name = "backend", description = "Backends (storage nodes) of the demo catalog: add, list.")
final class BackendCommand extends ApiCommand {

    @Command(name = "add", description = "ALTER SYSTEM ADD BACKEND host:be_port.")
    int add(@Parameters(paramLabel = "HOST:PORT", converter = Address.Converter.class,
                    description = "The node's Thrift (be_port) address.") Address address,
            @Option(names = "--http-port", paramLabel = "PORT", description = "Its HTTP port (default none).")
            Integer httpPort) {
        Backend added = api().addBackend(new AddBackendRequest(address.host(), address.port(), httpPort));
        return print(added, () -> Card.of(added).render());
    }

    @Command(name = "list", description = "SHOW BACKENDS.")
    int list() {
        List<Backend> backends = api().backends();
        return print(backends, () -> TextTable.of(backends, "id=BackendId", "host", "bePort=HeartbeatPort",
                "httpPort", "decommissioned").render());
    }

    /** {@code host:port}. */
    record Address(String host, int port) {
        static final class Converter implements ITypeConverter<Address> {
            @Override
            public Address convert(String value) {
                int colon = value.lastIndexOf(':');
                try {
                    if (colon > 0) {
                        return new Address(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
                    }
                } catch (NumberFormatException e) {
                    // described below
                }
                throw new TypeConversionException("a backend is HOST:PORT, got '" + value + "'");
            }
        }
    }
}
