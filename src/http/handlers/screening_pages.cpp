#include "http/handlers/context.h"
namespace parcours::http {
void RegisterScreeningPageRoutes(Router&, WebContext&) {}
}  // namespace parcours::http
