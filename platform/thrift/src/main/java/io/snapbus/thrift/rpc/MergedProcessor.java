package io.snapbus.thrift.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;

/**
 * Serves several Thrift services on one port by routing each call to the service that has a method of
 * that name.
 *
 * <p>Unlike Thrift's {@code TMultiplexedProcessor}, method names stay bare ({@code submit_tasks}, not
 * {@code BackendService:submit_tasks}), so the wire is exactly what a plain Doris client sends to each
 * service. That only works when no two services share a method name, which the constructor checks.
 */
public final class MergedProcessor implements TProcessor {

    private final Map<String, TProcessor> byMethod;

    /** @throws IllegalArgumentException if two processors serve a method of the same name */
    public MergedProcessor(List<? extends TBaseProcessor<?>> processors) {
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("no processors to merge");
        }
        Map<String, TProcessor> methods = new LinkedHashMap<>();
        Set<String> clashes = new TreeSet<>();
        for (TBaseProcessor<?> processor : processors) {
            for (String method : new TreeSet<>(processor.getProcessMapView().keySet())) {
                if (methods.putIfAbsent(method, processor) != null) {
                    clashes.add(method);
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot serve these methods on one port, more than one processor has them: " + clashes);
        }
        this.byMethod = Collections.unmodifiableMap(methods);
    }

    public static MergedProcessor of(TBaseProcessor<?>... processors) {
        return new MergedProcessor(List.of(processors));
    }

    /** Names of all methods served, in registration order. */
    public Set<String> methods() {
        return byMethod.keySet();
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        TMessage message = in.readMessageBegin();
        TProcessor target = byMethod.get(message.name);
        if (target == null) {
            // Same answer a single-service processor gives to an unknown method.
            TProtocolUtil.skip(in, TType.STRUCT);
            in.readMessageEnd();
            TApplicationException unknown = new TApplicationException(
                    TApplicationException.UNKNOWN_METHOD, "Invalid method name: '" + message.name + "'");
            out.writeMessageBegin(new TMessage(message.name, TMessageType.EXCEPTION, message.seqid));
            unknown.write(out);
            out.writeMessageEnd();
            out.getTransport().flush();
            return;
        }
        // The target reads the message header again: hand it the one we already consumed.
        target.process(new StoredMessageProtocol(in, message), out);
    }
}
