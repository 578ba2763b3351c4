#pragma once
// The application's Socket.IO surface (spec §7): who may connect, which rooms they join, and the
// events clients may send. Domain events from services reach the rooms through realtime::Emitter.
#include <memory>

#include "core/job.hpp"
#include "realtime/socketio/server.hpp"

namespace tiptop::auth {
class AuthService;
}

namespace tiptop::printing {
class PrintService;
}

namespace tiptop::live {

class LiveService;

// Registers the main namespace's connect check (JWT in handshake.auth.token, checked like REST),
// rooms (user:<id>, admin, delivery) and presence events, and disconnects sockets whose session
// ends (logout, password reset, refresh-token reuse). Partners send location:update; a customer
// and their order's partner send chat:message and chat:typing.
// A socket lives no longer than the session it was opened with: this job (start() it with the
// server) closes those whose session has ended, every 5 s. (Logout, a password reset or change
// and blocking close them at once.) A client that refreshed its session simply reconnects.
std::unique_ptr<BackgroundJob> expired_session_sweep(realtime::sio::Server& io);
// max_sockets_per_user: past it, a user's oldest socket is closed. Sockets open with a user's
// token, a guest order's tracking link ({trackingToken}: that order's events) or a printer's token
// ({printerToken}: the "printers" room, told print:job when there is work).
void register_socket_routes(realtime::sio::Server& io, auth::AuthService& auth, LiveService& live,
                            printing::PrintService& printers, std::size_t max_sockets_per_user);
// GET /api/v1/orders/:id/messages: the chat kept with an order.
void register_routes(http::Router& router, LiveService& live);

}  // namespace tiptop::live
