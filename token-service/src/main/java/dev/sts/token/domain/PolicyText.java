package dev.sts.token.domain;

/**
 * Minifies a JSON policy that the policy engine has already accepted: drops JSON whitespace
 * outside strings and keeps every token as it was. No re-parsing, so the minified text means
 * exactly what was validated (a JSON library could, for instance, resolve duplicate keys
 * differently than the engine did).
 */
final class PolicyText {
    private PolicyText() {
    }

    static String minify(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
