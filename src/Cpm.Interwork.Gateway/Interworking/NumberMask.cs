namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// Masks phone numbers for logs (Logging:MaskNumbers): every run of 7 or more digits keeps its first 5 and last 2 digits,
/// the rest become '*' (<c>+15550100002</c> → <c>+15550****02</c>), so operators can still tell numbers apart and find a
/// country and operator prefix, without a log holding whole subscriber numbers.
/// </summary>
public sealed class NumberMask(bool enabled)
{
    public bool Enabled { get; } = enabled;

    public string? Apply(string? text)
    {
        if (!Enabled || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        var i = 0;
        while (i < chars.Length)
        {
            if (!char.IsAsciiDigit(chars[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < chars.Length && char.IsAsciiDigit(chars[i]))
            {
                i++;
            }

            if (i - start >= 7)
            {
                for (var k = start + 5; k < i - 2; k++)
                {
                    chars[k] = '*';
                }
            }
        }

        return new string(chars);
    }

    public string Apply(IEnumerable<string> numbers) => Apply(string.Join(",", numbers))!;
}
