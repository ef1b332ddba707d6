using System.Text;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Dns.E164;

/// <summary>
/// ENUM for MMS (RFC 6116, RFC 4355/6118): number → reversed-digit domain under the apex → NAPTR,
/// ordered by ORDER then PREFERENCE. A rule with flag "u" and service E2U+mms:mailto is terminal: its
/// regexp applied to the number gives the mailto: URI. A rule with empty flags is non-terminal: its
/// REPLACEMENT domain is queried next (up to <see cref="EnumOptions.MaxRewrites"/>, never the same domain
/// twice). Rules with other flags, bad regexps or other services are skipped. E2U+mms:tel is reported
/// as <see cref="EnumResultStatus.TelOnly"/> when nothing better exists.
/// </summary>
public sealed partial class EnumResolver
{
    public const int MaxE164Digits = 15;

    private readonly IDnsResolver _dns;
    private readonly EnumOptions _options;
    private readonly ILogger _logger;

    public EnumResolver(IDnsResolver dns, EnumOptions options, ILogger<EnumResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid ENUM options: " + string.Join("; ", errors), nameof(options));
        }

        _dns = dns;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// "+1 555-010-0002", "tel:+15550100002" or "+15550100002/TYPE=PLMN" → "+15550100002"; null when
    /// there are no digits or more than 15 (E.164 §6).
    /// </summary>
    public static string? ToAus(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var text = number.Trim();
        if (text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        var cut = text.IndexOfAny([';', '/', '@']);
        if (cut >= 0)
        {
            text = text[..cut];
        }

        var digits = new StringBuilder(16);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not ('+' or '-' or '.' or ' ' or '(' or ')'))
            {
                return null;
            }
        }

        return digits.Length is > 0 and <= MaxE164Digits ? "+" + digits : null;
    }

    /// <summary>RFC 6116 §2.4: digits reversed, dot-separated, under the apex ("+15550100002" → "2.0.0.0.0.1.0.5.5.5.1.e164.arpa").</summary>
    public static string ToDomain(string aus, string apex)
    {
        ArgumentNullException.ThrowIfNull(aus);
        ArgumentNullException.ThrowIfNull(apex);
        var sb = new StringBuilder(aus.Length * 2 + apex.Length);
        for (var i = aus.Length - 1; i >= 0; i--)
        {
            if (char.IsAsciiDigit(aus[i]))
            {
                sb.Append(aus[i]).Append('.');
            }
        }

        return sb.Append(apex.TrimEnd('.')).ToString();
    }

    public async Task<EnumResult> ResolveAsync(string number, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(number);
        var aus = ToAus(number);
        if (aus is null)
        {
            return new EnumResult { Status = EnumResultStatus.InvalidNumber, Number = number, Detail = "not an E.164 number" };
        }

        var domain = ToDomain(aus, _options.Apex);
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var skipped = new List<string>();
        var result = await ResolveDomainAsync(aus, domain, 0, visited, skipped, cancellationToken).ConfigureAwait(false);
        result = result with { Domain = domain, Detail = result.Detail ?? (skipped.Count > 0 ? string.Join("; ", skipped) : null) };
        LogOutcome(aus, domain, result.Status, result.Uri, result.Detail);
        return result;
    }

    private async Task<EnumResult> ResolveDomainAsync(string aus, string domain, int depth, HashSet<string> visited,
        List<string> skipped, CancellationToken cancellationToken)
    {
        visited.Add(DnsName.Normalize(domain));
        var dns = await _dns.QueryAsync(domain, DnsRecordType.Naptr, cancellationToken).ConfigureAwait(false);
        LogQuery(domain, dns);
        if (dns.IsNameError)
        {
            return new EnumResult { Status = EnumResultStatus.NXDomain, Number = aus, Dns = dns };
        }

        if (dns.IsFailure)
        {
            return new EnumResult { Status = EnumResultStatus.DnsFailure, Number = aus, Dns = dns, Detail = $"NAPTR {domain}: {dns}" };
        }

        var rules = dns.Answers.OfType<NaptrRecord>().OrderBy(r => r.Order).ThenBy(r => r.Preference).ToList();
        EnumResult? tel = null;
        EnumResult? deeperFailure = null;
        foreach (var rule in rules)
        {
            var flags = rule.Flags.Trim();
            if (flags.Length == 0)
            {
                var next = await FollowNonTerminalAsync(aus, rule, depth, visited, skipped, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    continue;
                }

                if (next.Status == EnumResultStatus.Mailto)
                {
                    return next;
                }

                if (next.Status == EnumResultStatus.TelOnly)
                {
                    tel ??= next;
                }
                else if (next.Status == EnumResultStatus.DnsFailure)
                {
                    deeperFailure ??= next;
                }

                continue;
            }

            if (!flags.Equals("u", StringComparison.OrdinalIgnoreCase))
            {
                skipped.Add($"{Describe(rule)}: flags '{rule.Flags}' not supported");
                continue;
            }

            var service = EnumServices.Classify(rule.Services);
            if (service is not (EnumMmsService.Mailto or EnumMmsService.Tel))
            {
                skipped.Add($"{Describe(rule)}: service '{rule.Services}' is not mms:mailto");
                continue;
            }

            if (!NaptrRegexp.TryParse(rule.Regexp, _options.RegexTimeout, out var regexp, out var error))
            {
                skipped.Add($"{Describe(rule)}: {error}");
                continue;
            }

            if (!regexp.TryApply(aus, out var uri))
            {
                skipped.Add($"{Describe(rule)}: regexp timed out");
                continue;
            }

            if (uri is null)
            {
                skipped.Add($"{Describe(rule)}: regexp does not match {aus}");
                continue;
            }

            if (service == EnumMmsService.Tel)
            {
                tel ??= new EnumResult { Status = EnumResultStatus.TelOnly, Number = aus, Uri = uri, Record = rule, Rewrites = depth };
                continue;
            }

            if (!TryParseMailto(uri, out var address, out var mailDomain, out var why))
            {
                skipped.Add($"{Describe(rule)}: {why}");
                continue;
            }

            return new EnumResult
            {
                Status = EnumResultStatus.Mailto,
                Number = aus,
                Uri = uri,
                MailtoAddress = address,
                MailtoDomain = mailDomain,
                Record = rule,
                Rewrites = depth,
            };
        }

        if (tel is not null)
        {
            return tel;
        }

        if (deeperFailure is not null)
        {
            return deeperFailure;
        }

        return new EnumResult
        {
            Status = EnumResultStatus.NoRecord,
            Number = aus,
            Dns = dns,
            Detail = rules.Count == 0 ? $"no NAPTR at {domain}" : null,
        };
    }

    private async Task<EnumResult?> FollowNonTerminalAsync(string aus, NaptrRecord rule, int depth, HashSet<string> visited,
        List<string> skipped, CancellationToken cancellationToken)
    {
        var target = rule.Replacement;
        if (target.Length == 0 || !EnumServices.IsE2U(rule.Services))
        {
            skipped.Add($"{Describe(rule)}: non-terminal rule without replacement or not E2U");
            return null;
        }

        if (depth >= _options.MaxRewrites)
        {
            skipped.Add($"{Describe(rule)}: rewrite limit {_options.MaxRewrites} reached");
            return null;
        }

        if (visited.Contains(DnsName.Normalize(target)))
        {
            skipped.Add($"{Describe(rule)}: rewrite loop back to {target}");
            return null;
        }

        LogRewrite(rule.Name, target, depth + 1);
        var next = await ResolveDomainAsync(aus, target, depth + 1, visited, skipped, cancellationToken).ConfigureAwait(false);
        return next.Status == EnumResultStatus.NXDomain ? next with { Status = EnumResultStatus.NoRecord } : next;
    }

    /// <summary>mailto:addr-spec[?hfields] (RFC 6068) → the address (percent-decoded) and its domain.</summary>
    public static bool TryParseMailto(string uri, out string address, out string domain, out string? error)
    {
        ArgumentNullException.ThrowIfNull(uri);
        address = "";
        domain = "";
        if (!uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{uri}' is not a mailto: URI";
            return false;
        }

        var rest = uri[7..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            rest = rest[..q];
        }

        try
        {
            rest = System.Uri.UnescapeDataString(rest);
        }
        catch (UriFormatException)
        {
            error = $"'{uri}' has bad percent-encoding";
            return false;
        }

        var at = rest.LastIndexOf('@');
        if (at <= 0 || at == rest.Length - 1)
        {
            error = $"'{uri}' has no local-part@domain";
            return false;
        }

        var d = rest[(at + 1)..].TrimEnd('.');
        if (!DnsName.TryGetLabels(d, out var labels, out _) || labels.Count == 0)
        {
            error = $"'{uri}' has an invalid domain";
            return false;
        }

        address = rest[..(at + 1)] + d;
        domain = d;
        error = null;
        return true;
    }

    private static string Describe(NaptrRecord r) => $"NAPTR {r.Order} {r.Preference} \"{r.Flags}\" \"{r.Services}\" at {r.Name}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "ENUM NAPTR {Domain}: {Result}")]
    private partial void LogQuery(string domain, DnsResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ENUM non-terminal rewrite {From} -> {To} (rewrite {Depth})")]
    private partial void LogRewrite(string from, string to, int depth);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ENUM {Number} ({Domain}): {Status} {Uri} {Detail}")]
    private partial void LogOutcome(string number, string domain, EnumResultStatus status, string? uri, string? detail);
}
