package io.snapbus.thrift.rpc;

import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;

/**
 * Server event hooks that signal "listening" and keep the open client connections, because a
 * thread-per-connection server can only stop once the sockets its workers block on are closed.
 */
final class ConnectionTracker implements TServerEventHandler {

    private final CountDownLatch serving = new CountDownLatch(1);
    private final Set<TTransport> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();

    @Override
    public void preServe() {
        serving.countDown();
    }

    @Override
    public ServerContext createContext(TProtocol input, TProtocol output) {
        accepted.incrementAndGet();
        open.add(input.getTransport());
        return null;
    }

    @Override
    public void deleteContext(ServerContext context, TProtocol input, TProtocol output) {
        open.remove(input.getTransport());
    }

    @Override
    public void processContext(ServerContext context, TTransport input, TTransport output) {
        // nothing per call
    }

    CountDownLatch servingLatch() {
        return serving;
    }

    long accepted() {
        return accepted.get();
    }

    int openConnections() {
        return open.size();
    }

    /**
     * Ends every open connection. Softly, by shutting down the socket's input: a worker waiting for the
     * next request sees a clean end of stream (no error logged) and a worker inside a handler can still
     * write its answer. Hard, by closing the socket, for workers that outlived the stop timeout.
     */
    void endAll(boolean hard) {
        for (TTransport transport : open) {
            Socket socket = transport instanceof TSocket tsocket ? tsocket.getSocket() : null;
            if (hard || socket == null) {
                transport.close();
                continue;
            }
            try {
                if (!socket.isInputShutdown() && !socket.isClosed()) {
                    socket.shutdownInput();
                }
            } catch (IOException e) {
                transport.close();
            }
        }
    }
}
