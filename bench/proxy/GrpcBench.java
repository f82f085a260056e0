// GrpcBench.java - gRPC unary calls/s and latency, directly and through authsome's proxy, for
// bench/proxy-h2-bench.sh. A single-file program (java -cp GRPC_JARS GrpcBench.java ...) with grpc-java on both ends,
// as in the proxy's GrpcProxyTest: a text marshaller (no protobuf code generation), TLS with a local CA.
//
//   server PORT CERT_PEM KEY_PEM TOKEN   a unary echo on 127.0.0.1:PORT that answers "injected" when the call
//                                        carried "authorization: Bearer TOKEN", else "none"; runs until killed
//   client --target HOST:PORT --ca CA_PEM [--proxy USER:PASS@127.0.0.1:PORT] [--connect-to ADDR]
//          [-c CHANNELS] [-s CALLS_IN_FLIGHT_PER_CHANNEL] [-d SECONDS] [--warmup SECONDS] [--label L]
//          [--expect injected|none] [--cpu-pid PID]
//                                        closed loop: each in-flight slot makes its next call when the last one
//                                        returned; prints one JSON line (calls/s as rps, p50/p99 in ms, errors)
import io.grpc.CallOptions;
import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

public class GrpcBench {
  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> UNARY = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Unary"))
      .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final io.grpc.Context.Key<String> SEEN = io.grpc.Context.key("seen");

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      server(Integer.parseInt(args[1]), new File(args[2]), new File(args[3]), args[4]);
    } else if (args.length > 0 && args[0].equals("client")) {
      client(Arrays.copyOfRange(args, 1, args.length));
    } else {
      System.err.println("usage: GrpcBench server PORT CERT KEY TOKEN | client --target HOST:PORT ...");
      System.exit(2);
    }
  }

  static void server(int port, File cert, File key, String token) throws Exception {
    String expected = "Bearer " + token;
    ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
          out.onNext(SEEN.get());
          out.onCompleted();
        }))
        .build();
    ServerInterceptor seen = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String auth = headers.get(AUTHORIZATION);
        String v = auth == null ? "none" : auth.equals(expected) ? "injected" : "other";
        return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(SEEN, v), call, headers, next);
      }
    };
    Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .sslContext(GrpcSslContexts.forServer(cert, key).build())
        .addService(ServerInterceptors.intercept(service, seen)).build().start();
    System.out.println("listening on 127.0.0.1:" + s.getPort());
    s.awaitTermination();
  }

  static void client(String[] argv) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("-c", "1", "-s", "10", "-d", "10", "--warmup", "2", "--label", ""));
    for (int i = 0; i + 1 < argv.length; i += 2) {
      o.put(argv[i], argv[i + 1]);
    }
    String target = o.get("--target");
    String host = target.substring(0, target.lastIndexOf(':'));
    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    int channels = Integer.parseInt(o.get("-c"));
    int inFlight = Integer.parseInt(o.get("-s"));
    double duration = Double.parseDouble(o.get("-d"));
    double warmup = Double.parseDouble(o.get("--warmup"));
    String expect = o.get("--expect");
    File ca = new File(o.get("--ca"));

    List<ManagedChannel> chans = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      NettyChannelBuilder b;
      if (o.containsKey("--proxy")) {
        String p = o.get("--proxy");
        String userPass = p.substring(0, p.lastIndexOf('@'));
        String addr = p.substring(p.lastIndexOf('@') + 1);
        InetSocketAddress proxyAddr = new InetSocketAddress(addr.substring(0, addr.lastIndexOf(':')),
            Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1)));
        b = NettyChannelBuilder.forAddress(host, port)
            .proxyDetector(t -> HttpConnectProxiedSocketAddress.newBuilder()
                .setTargetAddress(InetSocketAddress.createUnresolved(host, port)).setProxyAddress(proxyAddr)
                .setUsername(userPass.substring(0, userPass.indexOf(':')))
                .setPassword(userPass.substring(userPass.indexOf(':') + 1)).build());
      } else {
        // the .test name need not resolve: dial the address given, keep the name for SNI and :authority
        b = NettyChannelBuilder.forAddress(new InetSocketAddress(o.getOrDefault("--connect-to", host), port))
            .overrideAuthority(target);
      }
      // one connection per channel (grpc-java would otherwise share nothing anyway; each channel is one TCP
      // connection, its calls multiplexed as HTTP/2 streams)
      chans.add(b.sslContext(GrpcSslContexts.forClient().trustManager(ca).build()).build());
    }
    // connect and make sure every channel works before the clock starts
    for (ManagedChannel ch : chans) {
      ClientCalls.blockingUnaryCall(ch, UNARY, CallOptions.DEFAULT.withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS), "hi");
    }

    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong badAuth = new AtomicLong();
    Map<String, Integer> errorSamples = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(channels * inFlight);
    for (ManagedChannel ch : chans) {
      for (int k = 0; k < inFlight; k++) {
        loop(ch, expect, latencies, errors, badAuth, errorSamples, done);
      }
    }
    Thread.sleep((long) (warmup * 1000));
    String cpuPid = o.get("--cpu-pid");
    double cpu0 = cpuSeconds(cpuPid);
    long start = System.nanoTime();
    windowStart = start;
    Thread.sleep((long) (duration * 1000));
    long end = System.nanoTime();
    double cpu1 = cpuSeconds(cpuPid);
    stop = true;
    List<Double> ms = new ArrayList<>();
    for (long[] l : latencies) {
      if (l[0] >= start && l[1] <= end) {
        ms.add((l[1] - l[0]) / 1e6);
      }
    }
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double secs = (end - start) / 1e9;
    int n = sorted.length;
    String json = String.format(java.util.Locale.ROOT,
        "{\"label\":\"%s\",\"protocol\":\"grpc\",\"c\":%d,\"streams\":%d,\"duration_s\":%.3f,\"requests\":%d,"
            + "\"rps\":%.1f,\"p50_ms\":%s,\"p90_ms\":%s,\"p99_ms\":%s,\"max_ms\":%s,\"errors\":%d,\"bad_status\":0,"
            + "\"bad_auth\":%d,\"proxy_cpu_us_per_req\":%s,\"error_samples\":%s}",
        o.get("--label"), channels, inFlight, secs, n, n / secs, p(sorted, 50), p(sorted, 90), p(sorted, 99),
        n == 0 ? "null" : String.format(java.util.Locale.ROOT, "%.3f", sorted[n - 1]), errors.get(), badAuth.get(),
        cpuPid == null || n == 0 ? "null" : String.format(java.util.Locale.ROOT, "%.1f", (cpu1 - cpu0) / n * 1e6),
        errorSamples.isEmpty() ? "{}" : "{\"" + errorSamples.keySet().iterator().next().replaceAll("[\"\\\\]", "'").replaceAll("\\s+", " ")
            + "\":" + errorSamples.values().iterator().next() + "}");
    System.out.println(json);
    for (ManagedChannel ch : chans) {
      ch.shutdownNow();
    }
    System.exit(0);
  }

  static volatile boolean stop;
  /** When the measured window started (0 while warming up). */
  static volatile long windowStart;

  /** One in-flight slot: an async unary call whose completion starts the next, until stopped. */
  static void loop(ManagedChannel ch, String expect, ConcurrentLinkedQueue<long[]> latencies,
      AtomicLong errors, AtomicLong badAuth, Map<String, Integer> samples, CountDownLatch done) {
    if (stop) {
      done.countDown();
      return;
    }
    long t0 = System.nanoTime();
    ClientCalls.asyncUnaryCall(ch.newCall(UNARY, CallOptions.DEFAULT), "ping", new StreamObserver<String>() {
      String reply;

      @Override
      public void onNext(String value) {
        reply = value;
      }

      @Override
      public void onError(Throwable t) {
        if (windowStart != 0 && t0 >= windowStart) {
          errors.incrementAndGet();
        }
        samples.merge(String.valueOf(t.getMessage()), 1, Integer::sum);
        loop(ch, expect, latencies, errors, badAuth, samples, done);
      }

      @Override
      public void onCompleted() {
        long t1 = System.nanoTime();
        latencies.add(new long[] {t0, t1});
        if (expect != null && !expect.equals(reply) && windowStart != 0 && t0 >= windowStart) {
          badAuth.incrementAndGet();
        }
        loop(ch, expect, latencies, errors, badAuth, samples, done);
      }
    });
  }

  static String p(double[] sorted, double pct) {
    if (sorted.length == 0) {
      return "null";
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(pct / 100 * sorted.length) - 1));
    return String.format(java.util.Locale.ROOT, "%.3f", sorted[i]);
  }

  static double cpuSeconds(String pid) {
    if (pid == null) {
      return 0;
    }
    try {
      String st = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      return 0;
    }
  }
}
