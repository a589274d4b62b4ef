using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Identity;

public static class WhoAmIEndpoint
{
    /// <summary>Who the bearer token says you are.</summary>
    [WolverineGet("/api/me")]
    public static WhoAmI GetMe(ClaimsPrincipal user)
    {
        var actor = Actor.From(user);
        return new WhoAmI(actor.Id, actor.Role, user.FindFirstValue(ClinicClaims.Name), actor.ClientId,
            user.FindAll(ClinicClaims.Scope).SelectMany(s => s.Value.Split(' ')).ToArray());
    }
}

/// <summary>Validate methods apply to every endpoint of their class, so each validated endpoint has a class of its own.</summary>
public static class SetPasswordEndpoint
{
    public static ProblemDetails Validate(PasswordSetup request) => Problems.Validate(request, Validator.Instance);

    /// <summary>A therapist (or anyone holding a one-time setup token) sets their password.</summary>
    [WolverinePost("/api/account/password"), AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> SetPassword(PasswordSetup request, UserManager<ClinicUser> users)
    {
        var user = await users.FindByEmailAsync(request.Email);
        var result = user is null ? null : await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (result is not { Succeeded: true })
        {
            var detail = result is null || result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? "The e-mail address or the setup token is wrong, or the token was already used."
                : string.Join(" ", result.Errors.Select(e => e.Description));
            return Results.Problem(Problems.From(Domain.Rejection.Unprocessable("password-setup", detail)));
        }

        return Results.NoContent();
    }

    public sealed class Validator : AbstractValidator<PasswordSetup>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Email).NotEmpty().MaximumLength(254).EmailAddress();
            RuleFor(x => x.Token).NotEmpty().MaximumLength(2_000);
            RuleFor(x => x.NewPassword).NotEmpty().MinimumLength(10).MaximumLength(128);
        }
    }
}

public sealed record WhoAmI(string Subject, string Role, string? Name, string? ClientId, string[] Scopes);

public sealed record PasswordSetup(string Email, string Token, string NewPassword);
