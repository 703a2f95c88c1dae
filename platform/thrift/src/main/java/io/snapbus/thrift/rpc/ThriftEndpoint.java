package io.snapbus.thrift.rpc;

import io.snapbus.thrift.TNetworkAddress;
import java.util.Objects;

/**
 * Host and port of a Thrift service; the key of the client pool.
 *
 * @param host host name or IP literal, as the peer was configured
 * @param port TCP port, 1-65535
 */
public record ThriftEndpoint(String host, int port) {

    public ThriftEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint host is blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint port out of range 1-65535: " + port);
        }
    }

    /** Parses {@code host:port}; the host may be a bracketed IPv6 literal ({@code [::1]:9060}). */
    public static ThriftEndpoint parse(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + hostAndPort + "'");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ThriftEndpoint(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, got '" + hostAndPort + "'", e);
        }
    }

    /** The endpoint a Doris {@code TNetworkAddress} names (e.g. {@code TMasterInfo.network_address}). */
    public static ThriftEndpoint of(TNetworkAddress address) {
        return new ThriftEndpoint(address.getHostname(), address.getPort());
    }

    public TNetworkAddress toNetworkAddress() {
        return new TNetworkAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
