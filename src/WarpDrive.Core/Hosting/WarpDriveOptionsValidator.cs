using Microsoft.Extensions.Options;

namespace WarpDrive.Hosting;

/// <summary>Validates <see cref="WarpDriveOptions"/> with <see cref="WarpDriveOptions.Validate"/>, for the options pipeline.</summary>
internal sealed class WarpDriveOptionsValidator : IValidateOptions<WarpDriveOptions>
{
    public ValidateOptionsResult Validate(string? name, WarpDriveOptions options)
    {
        if (options is null)
            return ValidateOptionsResult.Fail("WarpDrive options are missing.");
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
