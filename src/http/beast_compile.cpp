// Beast and Asio are compiled here once (BOOST_*_SEPARATE_COMPILATION is set for the whole
// project), instead of being instantiated again in every file that includes them.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
