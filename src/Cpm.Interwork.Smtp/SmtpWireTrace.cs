using System.Text;

namespace Cpm.Interwork.Smtp;

/// <summary>Redaction for the wire trace: every run of 7 or more digits (an E.164 number in
/// <c>+15550100002/TYPE=PLMN</c>) keeps its first 4 and last 2 digits, the rest become '*'.</summary>
public static class SmtpWireTrace
{
    public static string Redact(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        StringBuilder? output = null;
        var i = 0;
        while (i < line.Length)
        {
            if (!char.IsAsciiDigit(line[i])) { output?.Append(line[i]); i++; continue; }
            var start = i;
            while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
            var run = i - start;
            if (run < 7) { output?.Append(line, start, run); continue; }
            output ??= new StringBuilder(line.Length).Append(line, 0, start);
            output.Append(line, start, 4).Append('*', run - 6).Append(line, i - 2, 2);
        }

        return output?.ToString() ?? line;
    }
}
