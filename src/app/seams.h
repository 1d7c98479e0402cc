// The seams the use cases are built on, declared once for the headers of
// the services that take them (storage, clock, randomness, sealing,
// passwords, the territories' configuration, the recontact gate); each
// service's .cpp includes the headers it uses.
#pragma once

namespace parcours::storage {
class Storage;
class Transaction;
}  // namespace parcours::storage

namespace parcours::app {

class Clock;
class PasswordHasher;
class PathwayConfig;
class Random;
class RecontactGate;
class Sealer;

}  // namespace parcours::app
