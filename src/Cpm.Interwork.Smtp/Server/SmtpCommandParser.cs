using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace Cpm.Interwork.Smtp.Server;

public enum SmtpVerb { Unknown, Helo, Ehlo, Mail, Rcpt, Data, Rset, Noop, Quit, Vrfy, Help, StartTls }

/// <summary>A mailbox of a path (RFC 5321 §4.1.2): the local part as written (a Quoted-string keeps
/// its quotes) and the domain, or an address literal in brackets.</summary>
public sealed record SmtpMailbox(string LocalPart, string Domain, bool IsAddressLiteral)
{
    public override string ToString() => LocalPart + "@" + Domain;
}

/// <summary>A parsed command line. <see cref="Domain"/> for HELO/EHLO; <see cref="Mailbox"/> for
/// MAIL (null for the null reverse-path &lt;&gt;) and RCPT; <see cref="Size"/> and
/// <see cref="EightBitMime"/> from MAIL parameters (RFC 1870, RFC 6152).</summary>
public sealed record SmtpCommand(SmtpVerb Verb, string? Domain = null, SmtpMailbox? Mailbox = null, long? Size = null, bool EightBitMime = false);

/// <summary>Parses command lines (without CRLF). Methods are named after the RFC 5321 §4.1.2 /
/// §4.1.3 grammar rules they read, each advancing <c>i</c> only on success. Lenient where clients
/// commonly are: verbs and <c>FROM:</c>/<c>TO:</c> in any case, spaces after the colon.</summary>
public static class SmtpCommandParser
{
    // RFC 5322 §3.2.3 atext: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~" — so '+', '/' and '=' of
    // "+15550100002/TYPE=PLMN" are ordinary local-part characters.
    private static readonly SearchValues<byte> s_atext = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~"u8);

    private static readonly (string Name, SmtpVerb Verb)[] s_verbs =
    [
        ("HELO", SmtpVerb.Helo), ("EHLO", SmtpVerb.Ehlo), ("MAIL", SmtpVerb.Mail), ("RCPT", SmtpVerb.Rcpt),
        ("DATA", SmtpVerb.Data), ("RSET", SmtpVerb.Rset), ("NOOP", SmtpVerb.Noop), ("QUIT", SmtpVerb.Quit),
        ("VRFY", SmtpVerb.Vrfy), ("HELP", SmtpVerb.Help), ("STARTTLS", SmtpVerb.StartTls),
    ];

    /// <summary>Parses one command line; a rejection reason other than None means no command.</summary>
    public static SmtpRejectionReason TryParse(ReadOnlySpan<byte> line, out SmtpCommand command)
    {
        command = new SmtpCommand(SmtpVerb.Unknown);
        var space = line.IndexOf((byte)' ');
        var verb = ReadVerb(space < 0 ? line : line[..space]);
        if (verb == SmtpVerb.Unknown) return SmtpRejectionReason.UnknownCommand;
        var args = space < 0 ? [] : line[(space + 1)..];
        command = new SmtpCommand(verb);
        switch (verb)
        {
            case SmtpVerb.Helo:
            case SmtpVerb.Ehlo:
            {
                var i = 0;
                args = TrimEnd(args);
                if (!TryMakeDomain(args, ref i, out var domain) && !TryMakeAddressLiteral(args, ref i, out domain)) return SmtpRejectionReason.InvalidArguments;
                if (i != args.Length) return SmtpRejectionReason.InvalidArguments;
                command = command with { Domain = domain };
                return SmtpRejectionReason.None;
            }

            case SmtpVerb.Mail: return TryMakeMail(args, out command);
            case SmtpVerb.Rcpt: return TryMakeRcpt(args, out command);
            case SmtpVerb.Data:
            case SmtpVerb.Rset:
            case SmtpVerb.Quit:
            case SmtpVerb.StartTls:
                return TrimEnd(args).IsEmpty ? SmtpRejectionReason.None : SmtpRejectionReason.InvalidArguments;
            default:
                // NOOP, HELP and VRFY take an optional string we do not use.
                return SmtpRejectionReason.None;
        }
    }

    private static SmtpVerb ReadVerb(ReadOnlySpan<byte> word)
    {
        foreach (var (name, verb) in s_verbs)
        {
            if (word.Length == name.Length && Ascii.EqualsIgnoreCase(word, name)) return verb;
        }

        return SmtpVerb.Unknown;
    }

    /// <summary>mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] (§4.1.1.2).</summary>
    private static SmtpRejectionReason TryMakeMail(ReadOnlySpan<byte> args, out SmtpCommand command)
    {
        command = new SmtpCommand(SmtpVerb.Mail);
        if (!TryPrefix(ref args, "FROM:"u8)) return SmtpRejectionReason.SyntaxError;
        var i = 0;
        if (!TryMakeReversePath(args, ref i, out var mailbox)) return SmtpRejectionReason.InvalidReversePath;
        long? size = null;
        var eightBit = false;
        var parameters = EnumerateParameters(args[i..], out var ok);
        if (!ok) return SmtpRejectionReason.InvalidArguments;
        foreach (var (keyword, value) in parameters)
        {
            if (keyword.Equals("SIZE", StringComparison.OrdinalIgnoreCase))
            {
                if (value is null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return SmtpRejectionReason.InvalidArguments;
                size = n;
            }
            else if (keyword.Equals("BODY", StringComparison.OrdinalIgnoreCase))
            {
                if (value is null) return SmtpRejectionReason.InvalidArguments;
                if (value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)) eightBit = true;
                else if (!value.Equals("7BIT", StringComparison.OrdinalIgnoreCase)) return SmtpRejectionReason.InvalidArguments;
            }
            else
            {
                return SmtpRejectionReason.UnsupportedParameter;
            }
        }

        command = new SmtpCommand(SmtpVerb.Mail, Mailbox: mailbox, Size: size, EightBitMime: eightBit);
        return SmtpRejectionReason.None;
    }

    /// <summary>rcpt = "RCPT TO:" ( "&lt;Postmaster@" Domain "&gt;" / "&lt;Postmaster&gt;" / Forward-path ) [SP Rcpt-parameters] (§4.1.1.3).</summary>
    private static SmtpRejectionReason TryMakeRcpt(ReadOnlySpan<byte> args, out SmtpCommand command)
    {
        command = new SmtpCommand(SmtpVerb.Rcpt);
        if (!TryPrefix(ref args, "TO:"u8)) return SmtpRejectionReason.SyntaxError;
        var i = 0;
        if (!TryMakeForwardPath(args, ref i, out var mailbox)) return SmtpRejectionReason.InvalidForwardPath;
        var parameters = EnumerateParameters(args[i..], out var ok);
        if (!ok) return SmtpRejectionReason.InvalidArguments;
        if (parameters.Count > 0) return SmtpRejectionReason.UnsupportedParameter;
        command = new SmtpCommand(SmtpVerb.Rcpt, Mailbox: mailbox);
        return SmtpRejectionReason.None;
    }

    private static bool TryPrefix(ref ReadOnlySpan<byte> args, ReadOnlySpan<byte> prefix)
    {
        if (args.Length < prefix.Length || !Ascii.EqualsIgnoreCase(args[..prefix.Length], prefix)) return false;
        args = args[prefix.Length..].TrimStart((byte)' ');
        return true;
    }

    /// <summary>Reverse-path = Path / "&lt;&gt;"; the null path gives a null mailbox.</summary>
    public static bool TryMakeReversePath(ReadOnlySpan<byte> s, ref int i, out SmtpMailbox? mailbox)
    {
        mailbox = null;
        if (s[i..].StartsWith("<>"u8)) { i += 2; return true; }
        return TryMakePath(s, ref i, out mailbox);
    }

    /// <summary>Forward-path = Path.</summary>
    public static bool TryMakeForwardPath(ReadOnlySpan<byte> s, ref int i, out SmtpMailbox? mailbox) => TryMakePath(s, ref i, out mailbox);

    /// <summary>Path = "&lt;" [ A-d-l ":" ] Mailbox "&gt;"; the source route is read and ignored (§4.1.2).</summary>
    public static bool TryMakePath(ReadOnlySpan<byte> s, ref int i, out SmtpMailbox? mailbox)
    {
        mailbox = null;
        var j = i;
        if (j >= s.Length || s[j] != (byte)'<') return false;
        j++;
        if (TryMakeAdl(s, ref j))
        {
            if (j >= s.Length || s[j] != (byte)':') return false;
            j++;
        }

        if (!TryMakeMailbox(s, ref j, out var box) || j >= s.Length || s[j] != (byte)'>') return false;
        mailbox = box;
        i = j + 1;
        return true;
    }

    /// <summary>A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain.</summary>
    private static bool TryMakeAdl(ReadOnlySpan<byte> s, ref int i)
    {
        var j = i;
        do
        {
            if (j >= s.Length || s[j] != (byte)'@') return false;
            j++;
            if (!TryMakeDomain(s, ref j, out _)) return false;
        }
        while (j < s.Length && s[j] == (byte)',' && ++j > 0);

        i = j;
        return true;
    }

    /// <summary>Mailbox = Local-part "@" ( Domain / address-literal ).</summary>
    public static bool TryMakeMailbox(ReadOnlySpan<byte> s, ref int i, out SmtpMailbox? mailbox)
    {
        mailbox = null;
        var j = i;
        if (!TryMakeLocalPart(s, ref j, out var local) || j >= s.Length || s[j] != (byte)'@') return false;
        j++;
        var literal = false;
        if (!TryMakeDomain(s, ref j, out var domain))
        {
            if (!TryMakeAddressLiteral(s, ref j, out domain)) return false;
            literal = true;
        }

        mailbox = new SmtpMailbox(local, domain, literal);
        i = j;
        return true;
    }

    /// <summary>Local-part = Dot-string / Quoted-string.</summary>
    public static bool TryMakeLocalPart(ReadOnlySpan<byte> s, ref int i, out string localPart)
    {
        var start = i;
        if (TryMakeDotString(s, ref i) || TryMakeQuotedString(s, ref i))
        {
            localPart = Encoding.ASCII.GetString(s[start..i]);
            return true;
        }

        localPart = "";
        return false;
    }

    /// <summary>Dot-string = Atom *("." Atom); Atom = 1*atext.</summary>
    public static bool TryMakeDotString(ReadOnlySpan<byte> s, ref int i)
    {
        var j = i;
        if (!TryMakeAtom(s, ref j)) return false;
        while (j + 1 < s.Length && s[j] == (byte)'.')
        {
            var k = j + 1;
            if (!TryMakeAtom(s, ref k)) break;
            j = k;
        }

        i = j;
        return true;
    }

    private static bool TryMakeAtom(ReadOnlySpan<byte> s, ref int i)
    {
        var rest = s[i..];
        var n = rest.IndexOfAnyExcept(s_atext);
        if (n < 0) n = rest.Length;
        if (n == 0) return false;
        i += n;
        return true;
    }

    /// <summary>Quoted-string = DQUOTE *QcontentSMTP DQUOTE; qtextSMTP = %d32-33 / %d35-91 /
    /// %d93-126; quoted-pairSMTP = "\" %d32-126.</summary>
    public static bool TryMakeQuotedString(ReadOnlySpan<byte> s, ref int i)
    {
        var j = i;
        if (j >= s.Length || s[j] != (byte)'"') return false;
        j++;
        while (j < s.Length)
        {
            var b = s[j];
            if (b == (byte)'"') { i = j + 1; return true; }
            if (b == (byte)'\\')
            {
                if (j + 1 >= s.Length || s[j + 1] is < 32 or > 126) return false;
                j += 2;
            }
            else if (b is >= 32 and <= 126) j++;
            else return false;
        }

        return false;
    }

    /// <summary>Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str].</summary>
    public static bool TryMakeDomain(ReadOnlySpan<byte> s, ref int i, out string domain)
    {
        domain = "";
        var j = i;
        if (!TryMakeSubDomain(s, ref j)) return false;
        while (j + 1 < s.Length && s[j] == (byte)'.')
        {
            var k = j + 1;
            if (!TryMakeSubDomain(s, ref k)) break;
            j = k;
        }

        if (j - i > 255) return false;
        domain = Encoding.ASCII.GetString(s[i..j]);
        i = j;
        return true;
    }

    /// <summary>sub-domain = Let-dig [Ldh-str]; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig.</summary>
    private static bool TryMakeSubDomain(ReadOnlySpan<byte> s, ref int i)
    {
        var j = i;
        if (j >= s.Length || !IsLetDig(s[j])) return false;
        j++;
        while (j < s.Length && (IsLetDig(s[j]) || s[j] == (byte)'-')) j++;
        while (s[j - 1] == (byte)'-') j--;
        i = j;
        return true;
    }

    /// <summary>address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]" (§4.1.3).</summary>
    public static bool TryMakeAddressLiteral(ReadOnlySpan<byte> s, ref int i, out string literal)
    {
        literal = "";
        if (i >= s.Length || s[i] != (byte)'[') return false;
        var close = s[i..].IndexOf((byte)']');
        if (close < 0) return false;
        var inner = Encoding.ASCII.GetString(s.Slice(i + 1, close - 1));
        var valid = inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : IsIPv4AddressLiteral(inner) || IsGeneralAddressLiteral(inner);
        if (!valid) return false;
        literal = "[" + inner + "]";
        i += close + 1;
        return true;
    }

    private static bool IsIPv4AddressLiteral(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>General-address-literal = Standardized-tag ":" 1*dcontent.</summary>
    private static bool IsGeneralAddressLiteral(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-') &&
            text[(colon + 1)..].All(c => c is >= '!' and <= '~' and not '[' and not ']' and not '\\');
    }

    /// <summary>Mail-parameters = esmtp-param *(SP esmtp-param); esmtp-param = esmtp-keyword ["=" esmtp-value].</summary>
    private static List<(string Keyword, string? Value)> EnumerateParameters(ReadOnlySpan<byte> s, out bool ok)
    {
        var list = new List<(string, string?)>();
        ok = true;
        s = TrimEnd(s);
        if (s.IsEmpty) return list;
        if (s[0] != (byte)' ') { ok = false; return list; }
        foreach (var range in s.Split((byte)' '))
        {
            var param = s[range];
            if (param.IsEmpty) continue;
            var eq = param.IndexOf((byte)'=');
            var keyword = eq < 0 ? param : param[..eq];
            if (keyword.IsEmpty || !char.IsAsciiLetterOrDigit((char)keyword[0]) || keyword.ContainsAnyExcept(s_keywordChars)) { ok = false; return list; }
            string? value = null;
            if (eq >= 0)
            {
                var v = param[(eq + 1)..];
                // esmtp-value = 1*(%d33-60 / %d62-126)
                if (v.IsEmpty || v.ContainsAnyExceptInRange((byte)33, (byte)126) || v.Contains((byte)'=')) { ok = false; return list; }
                value = Encoding.ASCII.GetString(v);
            }

            list.Add((Encoding.ASCII.GetString(keyword), value));
        }

        return list;
    }

    private static readonly SearchValues<byte> s_keywordChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"u8);

    private static bool IsLetDig(byte b) => char.IsAsciiLetterOrDigit((char)b);

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> s) => s.TrimEnd((byte)' ');

    /// <summary>True when the whole text is an RFC 5321 Domain.</summary>
    public static bool IsDomain(string? text)
    {
        if (string.IsNullOrEmpty(text) || !Ascii.IsValid(text)) return false;
        var bytes = Encoding.ASCII.GetBytes(text);
        var i = 0;
        return TryMakeDomain(bytes, ref i, out _) && i == bytes.Length;
    }
}
