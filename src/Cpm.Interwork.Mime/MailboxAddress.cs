using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>An RFC 5322 mailbox: optional display name and an address (addr-spec, or an MM4 address such as
/// <c>+15550100001/TYPE=PLMN</c>). Parse is lenient; <see cref="ToString"/> is strict.</summary>
public sealed record MailboxAddress(string? DisplayName, string Address)
{
    private static readonly System.Buffers.SearchValues<char> s_specials = System.Buffers.SearchValues.Create("()<>[]:;@\\,.\"");

    /// <summary>Parses one mailbox (the first one when the value holds a list); null when there is no address.</summary>
    public static MailboxAddress? Parse(string value) => ParseList(value) is { Count: > 0 } list ? list[0] : null;

    /// <summary>Parses an address list (RFC 5322 §3.4): commas outside quotes, angle brackets and comments
    /// separate mailboxes; group names ("team: a@b, c@d;") are dropped, their members kept; encoded words in
    /// display names are decoded (RFC 2047 §5(3)); comments are ignored.</summary>
    public static IReadOnlyList<MailboxAddress> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new List<MailboxAddress>();
        var item = new StringBuilder();
        var inQuote = false;
        var inAngle = false;
        var comment = 0;
        var itemHasAngle = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && (inQuote || comment > 0) && i + 1 < value.Length) { item.Append(c).Append(value[++i]); continue; }
            if (comment > 0)
            {
                if (c == '(') { comment++; }
                else if (c == ')') { comment--; }
                continue;
            }
            if (inQuote) { item.Append(c); if (c == '"') { inQuote = false; } continue; }
            switch (c)
            {
                case '"': inQuote = true; item.Append(c); break;
                case '(' when !inAngle: comment = 1; item.Append(' '); break;
                case '<': inAngle = true; itemHasAngle = true; item.Append(c); break;
                case '>': inAngle = false; item.Append(c); break;
                case ':' when !inAngle && !itemHasAngle && LooksLikeGroupName(value, i):
                    item.Clear(); // group display name: drop it
                    break;
                case ';' when !inAngle:
                case ',' when !inAngle:
                    Add(result, item.ToString());
                    item.Clear();
                    itemHasAngle = false;
                    break;
                default: item.Append(c); break;
            }
        }
        Add(result, item.ToString());
        return result;
    }

    // "name: member, member;" — a colon that is not part of an address such as sip:bob@x or tel:+1
    private static bool LooksLikeGroupName(string value, int colon) =>
        colon + 1 >= value.Length || value[colon + 1] == ' ' || value[colon + 1] == '\t' || value[colon + 1] == ';';

    private static void Add(List<MailboxAddress> result, string item)
    {
        var s = item.Trim();
        if (s.Length == 0) { return; }
        var lt = s.LastIndexOf('<');
        var gt = s.LastIndexOf('>');
        if (lt >= 0 && gt > lt)
        {
            var addr = s[(lt + 1)..gt].Trim();
            var name = Unquote(s[..lt].Trim());
            if (addr.Length == 0) { return; }
            result.Add(new MailboxAddress(name.Length == 0 ? null : EncodedWords.Decode(name), addr));
            return;
        }
        result.Add(new MailboxAddress(null, s.Trim('<', '>', ' ')));
    }

    private static string Unquote(string s)
    {
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            var sb = new StringBuilder(s.Length);
            for (var i = 1; i < s.Length - 1; i++)
            {
                if (s[i] == '\\' && i + 1 < s.Length - 1) { i++; }
                sb.Append(s[i]);
            }
            return sb.ToString();
        }
        return s;
    }

    /// <summary>Strict form: <c>addr</c> (bare, as MM4 writes it), <c>Name &lt;addr&gt;</c>, <c>"Name, Jr." &lt;addr&gt;</c>, or an RFC 2047
    /// encoded display name when it has non-ASCII characters.</summary>
    public override string ToString()
    {
        if (string.IsNullOrEmpty(DisplayName)) { return Address; }
        string name;
        if (DisplayName.Any(c => c >= 0x7F || c < 0x20)) { name = EncodedWords.EncodePhrase(DisplayName); }
        else if (DisplayName.AsSpan().IndexOfAny(s_specials) >= 0 || DisplayName.Contains("=?", StringComparison.Ordinal))
        {
            name = "\"" + DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }
        else { name = DisplayName; }
        return name + " <" + Address + ">";
    }
}
