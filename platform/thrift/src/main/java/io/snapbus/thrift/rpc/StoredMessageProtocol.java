package io.snapbus.thrift.rpc;

import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;

/** A protocol whose next message header is one already read, so a router can peek at the method name. */
final class StoredMessageProtocol extends TProtocolDecorator {

    private final TMessage message;

    StoredMessageProtocol(TProtocol delegate, TMessage message) {
        super(delegate);
        this.message = message;
    }

    @Override
    public TMessage readMessageBegin() {
        return message;
    }
}
