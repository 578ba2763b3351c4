#pragma once
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "modules/auth/otp.hpp"
#include "modules/auth/service.hpp"

namespace tiptop::auth {

// POST /api/v1/auth/{register,login,refresh-token,logout,forgot-password,reset-password}
void register_routes(http::Router& router, AuthService& service, const Config& config);
// POST /api/v1/auth/otp/{send,verify}: one-time codes for the signed-in user's phone or e-mail.
void register_otp_routes(http::Router& router, OtpService& otp);
// The pipeline's authenticator: "Authorization: Bearer <token>" -> req.user.
http::Authenticator make_authenticator(AuthService& service);

}  // namespace tiptop::auth
