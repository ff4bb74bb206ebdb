import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The real servers of serve-bench.sh: accepts on every address of its namespace, port 80, and closes. */
public class Acceptor {
    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(80), 4096);
            System.out.println("listening");
            System.out.flush();
            while (true) {
                SocketChannel c = s.accept();
                c.close();
            }
        }
    }
}
