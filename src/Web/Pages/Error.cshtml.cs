using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages;

/// <summary>A page someone may not see, or that is not there, is "Page not found"; a fault is a plain apology: never a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code) => Code = Respond(code);

    public void OnPost(int code) => Code = Respond(code);

    private int Respond(int code)
    {
        // The status the re-executed request began with stands (a 404 stays a 404); asked for directly, it is set here.
        var shown = code is 403 or 404 or 503 ? code : 500;
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
        {
            Response.StatusCode = shown;
        }

        return shown;
    }
}
