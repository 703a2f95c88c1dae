package io.snapbus.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test helper: a TCP proxy on 127.0.0.1 in front of a real server that passes requests through unchanged and cuts
 * every connection once {@code responseBytes} bytes of the server's answer went back: a network that fails in the
 * middle of a response body. Closing it closes every socket and stops every thread it started.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final long responseBytes;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    CuttingProxy(URI upstream, long responseBytes) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.responseBytes = responseBytes;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("cutting-proxy-accept", this::acceptAll);
    }

    /** The proxy's address, as an endpoint URI with the upstream's scheme. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void acceptAll() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(server);
                start("cutting-proxy-request", () -> pump(client, server, Long.MAX_VALUE));
                start("cutting-proxy-response", () -> pump(server, client, responseBytes));
            }
        } catch (IOException e) {
            // closed: stop accepting
        }
    }

    /** Copies {@code from} to {@code to} until either end closes or {@code limit} bytes went through, then closes both. */
    private static void pump(Socket from, Socket to, long limit) {
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            long sent = 0;
            while (sent < limit) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
                if (n < 0) {
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
                sent += n;
            }
        } catch (IOException e) {
            // the other direction closed the sockets, or the proxy is closing
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
