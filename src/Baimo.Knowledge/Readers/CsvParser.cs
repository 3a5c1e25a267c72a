using System.Text;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// RFC 4180 records: fields in double quotes may hold the delimiter, line breaks and doubled quotes ("");
/// CRLF, LF or CR end a record. Tolerant of what spreadsheets and scripts really write: a quote in the middle of
/// an unquoted field is kept as text, text after a closing quote is appended, an unterminated quote runs to the end.
/// </summary>
public static class CsvParser
{
    public static List<List<string>> Parse(string text, char delimiter)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') { field.Append(c); continue; }
                if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            if (c == '"' && !fieldStarted) { quoted = true; fieldStarted = true; }
            else if (c == delimiter) { record.Add(field.ToString()); field.Clear(); fieldStarted = false; }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                record.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                records.Add(record);
                record = [];
            }
            else { field.Append(c); fieldStarted = true; }
        }
        if (fieldStarted || field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }

    /// <summary>
    /// Comma unless the first line has more semicolons or tabs outside quotes (European spreadsheets export ";",
    /// many tools write tab-separated values under .csv).
    /// </summary>
    public static char DetectDelimiter(string text)
    {
        int comma = 0, semicolon = 0, tab = 0;
        bool quoted = false;
        foreach (char c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c is '\n' or '\r') break;
            else if (c == ',') comma++;
            else if (c == ';') semicolon++;
            else if (c == '\t') tab++;
        }
        if (tab > comma && tab >= semicolon) return '\t';
        if (semicolon > comma) return ';';
        return ',';
    }
}
