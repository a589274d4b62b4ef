using System.Text.RegularExpressions;

namespace EventSourcedClinic.Architecture.Tests;

/// <summary>Every English string a page of the web app asks for has its Welsh (Cymraeg) in the app's dictionary.</summary>
public partial class WelshTests
{
    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSourcedClinic.sln")))
            {
                dir = dir.Parent;
            }

            return dir!.FullName;
        }
    }

    [Fact]
    public void every_string_the_pages_use_has_its_welsh()
    {
        var web = Path.Combine(Root, "src/Web");
        var dictionary = File.ReadAllText(Path.Combine(web, "Clinic/Text.cs"));
        var welsh = Entry().Matches(dictionary[dictionary.IndexOf("Cymraeg = new", StringComparison.Ordinal)..]).Select(m => Unescape(m.Groups[1].Value)).ToHashSet();
        var codes = Entry().Matches(dictionary[dictionary.IndexOf("EnglishCodes = new", StringComparison.Ordinal)..dictionary.IndexOf("Cymraeg = new", StringComparison.Ordinal)])
            .Select(m => m.Groups[2].Value);
        var used = Directory.EnumerateFiles(Path.Combine(web, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(file => Used().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Text: Unescape(m.Groups[2].Value))))
            .ToArray();
        // The questionnaires' questions and answers are shown through T[...] from the app's own list of them.
        var contracts = File.ReadAllText(Path.Combine(web, "Clinic/Contracts.cs"));
        var questionnaires = Literal().Matches(contracts[contracts.IndexOf("record QuestionnaireForm", StringComparison.Ordinal)..])
            .Select(m => Unescape(m.Groups[1].Value)).Where(text => !System.Text.RegularExpressions.Regex.IsMatch(text, "^[a-z0-9]+$"))
            .Select(text => (File: "Contracts.cs", Text: text));
        used = [.. used, .. questionnaires];
        used.ShouldNotBeEmpty();
        used.Where(u => !welsh.Contains(u.Text)).Select(u => $"{u.File}: {u.Text}").ShouldBeEmpty();
        codes.Where(c => !welsh.Contains(c)).ShouldBeEmpty();
    }

    private static string Unescape(string text) => text.Replace("\\\"", "\"");

    [GeneratedRegex(@"\[""((?:[^""\\]|\\.)*)""\]\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Entry();

    [GeneratedRegex(@"T(\.Format\(|\[)""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Used();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Literal();
}
