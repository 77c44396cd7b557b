using System.CommandLine;
using System.CommandLine.Parsing;

namespace RepSec.Cli.Commands;

/// <summary>The number options the reputation commands share: ratings, confidences and trust, each from 0 to 1.</summary>
internal static class ReputationArguments
{
    public static Option<double?> Unit(string name, string description)
    {
        var option = new Option<double?>(name) { Description = description, HelpName = "0..1" };
        option.Validators.Add(result => ValidateUnit(result, result.Tokens.Count > 0 ? result.GetValueOrDefault<double?>() : 0, name));
        return option;
    }

    public static void ValidateUnit(SymbolResult result, double? value, string name)
    {
        if (value is not (>= 0 and <= 1))
        {
            result.AddError($"{name} must be a number from 0 to 1");
        }
    }
}
