#pragma once
// Notifications (spec §2 Notifications): what a user is told, in the app and through the push, SMS
// and e-mail channels. Each channel's delivery is tracked per notification: pending until the
// outbox worker's provider accepts it (sent) or gives up (failed); null when the channel is unused.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace tiptop::notifications {

struct Channels {
  bool push = false, sms = false, email = false;
};

struct Notification {
  std::string id, recipient_id, type, title, message;
  boost::json::object data;
  std::string priority = "medium";                    // low, medium, high, urgent
  bool in_app = true;                                 // false: sent by its channels only, not listed in the app
  std::string push_status, sms_status, email_status;  // "", pending, sent, failed
  bool is_read = false;
  std::optional<clock::Millis> read_at;
  std::string related_order_id;
  std::optional<clock::Millis> expires_at;
  clock::Millis created_at = 0;
};

boost::json::object to_json(const Notification& n);

// What an event asks to send. Transactional drafts go out on their channels whatever the user's
// preferences; promotional ones only on the channels the user has left on.
struct Draft {
  std::string recipient_id, type, title, message;
  boost::json::object data;
  std::string priority = "medium";
  Channels channels;
  bool promotional = false;
  std::string related_order_id;
  std::optional<clock::Millis> expires_at;
  // The e-mail, when it says more than the in-app text (a reset code the app must not show).
  std::string email_subject, email_body;
  bool email_is_secret = false;  // the body is wiped from the outbox once the mail has gone
  // Another address than the account's: an e-mail change's notice goes to the old one.
  std::string email_to;
};

// Which promotional messages a user accepts, per channel. Defaults: in the app, by push and by
// e-mail yes; SMS no (it costs the customer attention and us money).
struct Preferences {
  bool in_app = true, push = true, sms = false, email = true;
};
Preferences preferences_from_json(const std::string& stored);  // NULL or bad JSON: the defaults
boost::json::object to_json(const Preferences& p);             // {promotions: {inApp, push, sms, email}}

}  // namespace tiptop::notifications
