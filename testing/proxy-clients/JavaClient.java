import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** See README.md: one request per URL argument through HttpURLConnection, results on stdout. */
public class JavaClient {
  public static void main(String[] args) {
    String key = System.getenv().getOrDefault("E2E_API_KEY", "");
    System.out.println("KEY " + (key.isEmpty() ? "-" : key));
    for (String url : args) {
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(60_000);
        c.setReadTimeout(60_000);
        c.setRequestProperty("Authorization", "Bearer " + key);
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("RESULT " + url + " " + status + " " + body.replace('\n', ' '));
      } catch (IOException | RuntimeException e) {
        System.out.println("ERROR " + url + " " + String.valueOf(e).replace('\n', ' '));
      }
    }
  }
}
