package dev.authsome.oauth;

import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.util.Map;

/** Renders the input form of an {@link InputRequest}. */
final class FormPage {
  private FormPage() {
  }

  /**
   * The form.
   *
   * @param values non-secret values to show again after a failed submission
   * @param errors field name to message
   */
  static String render(InputRequest request, String action, String csrf, Map<String, String> values,
      Map<String, String> errors) {
    String nonce = Html.token(12);
    StringBuilder b = new StringBuilder();
    b.append("<p>authsome needs the following to log in to <strong>").append(Html.escape(request.provider()))
        .append("</strong>. It is sent only to authsome on this computer.</p>");
    if (request.docsUrl() != null && Html.isWebUrl(request.docsUrl())) {
      b.append("<p><a href=\"").append(Html.escape(request.docsUrl()))
          .append("\" target=\"_blank\" rel=\"noopener noreferrer\">How to get these: the provider's documentation"
              + "</a></p>");
    }
    if (!errors.isEmpty()) {
      b.append("<p class=\"error\" role=\"alert\">Please fix the highlighted field(s) below.</p>");
    }
    b.append("<form method=\"post\" action=\"").append(Html.escape(action)).append("\" autocomplete=\"off\">");
    b.append("<input type=\"hidden\" name=\"csrf_token\" value=\"").append(Html.escape(csrf)).append("\">");
    for (InputField field : request.fields()) {
      String id = "f-" + field.name().replaceAll("[^A-Za-z0-9_-]", "_");
      b.append("<label for=\"").append(id).append("\">").append(Html.escape(field.label()))
          .append(field.required() && !field.readOnly() ? " *" : "").append("</label>");
      if (field.readOnly()) {
        b.append("<div class=\"copy\"><input id=\"").append(id).append("\" readonly value=\"")
            .append(Html.escape(field.defaults().orElse(""))).append("\">")
            .append("<button type=\"button\" class=\"copy-button\" data-copy=\"").append(id)
            .append("\">Copy</button></div>");
        continue;
      }
      String value = field.secret() ? "" : values.getOrDefault(field.name(), field.defaults().orElse(""));
      b.append("<input id=\"").append(id).append("\" name=\"").append(Html.escape(field.name()))
          .append("\" type=\"").append(field.secret() ? "password" : "text").append("\"");
      if (!value.isEmpty()) {
        b.append(" value=\"").append(Html.escape(value)).append("\"");
      }
      if (field.required()) {
        b.append(" required");
      }
      if (field.pattern() != null) {
        b.append(" pattern=\"").append(Html.escape(field.pattern())).append("\"");
      }
      if (field.patternHint() != null) {
        b.append(" title=\"").append(Html.escape(field.patternHint())).append("\"");
      }
      b.append(" spellcheck=\"false\" autocapitalize=\"off\">");
      String error = errors.get(field.name());
      if (error != null) {
        b.append("<div class=\"field-error\">").append(Html.escape(error)).append("</div>");
      }
    }
    b.append("<button type=\"submit\" name=\"action\" value=\"submit\">Continue</button> ");
    b.append("<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button>");
    b.append("</form>");
    b.append("<script nonce=\"").append(nonce).append("\">document.querySelectorAll('.copy-button')"
        + ".forEach(function(btn){btn.addEventListener('click',function(){var f=document.getElementById("
        + "btn.getAttribute('data-copy'));f.select();if(navigator.clipboard){navigator.clipboard.writeText(f.value);}"
        + "else{document.execCommand('copy');}btn.textContent='Copied';});});</script>");
    return Html.page(request.title(), b.toString(), nonce);
  }
}
