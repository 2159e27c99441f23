/* A shared library for the shared-library-missing and symbol-not-found fixtures. */
int taxcalc_rate(int cents) { return cents / 5; }
int taxcalc_round(int cents) { return (cents + 50) / 100 * 100; }
