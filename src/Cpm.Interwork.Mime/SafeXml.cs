using System.Xml;

namespace Cpm.Interwork.Mime;

/// <summary>XML reading for peer documents: no DTD (a DOCTYPE is rejected), no external resolution, bounded size.</summary>
internal static class SafeXml
{
    public static XmlReader CreateReader(ReadOnlyMemory<byte> xml, int maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };
        return XmlReader.Create(new MemoryStream(xml.ToArray(), writable: false), settings);
    }

    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\r\n",
        OmitXmlDeclaration = false,
    };

    /// <summary>True when the XmlException comes from a DOCTYPE, which we refuse.</summary>
    public static bool IsDtd(XmlException e) => e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase);
}
