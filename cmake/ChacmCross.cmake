# The ia32 cross build (CHACM_L4_ARCH=ia32, cmake/toolchain-ia32.cmake): every
# program under servers/ as a static ELF32 executable, and every interface's
# generated stubs, against l4shim/include/l4/ia32.  No simulator, no tests:
# those come from the hosted build, which runs this one as a sub-build.
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)

set(CHACM_IDLC "" CACHE FILEPATH "The host's chacm-idl (from a hosted build) that generates the IDL stubs")
if(NOT CHACM_IDLC OR NOT EXISTS "${CHACM_IDLC}")
  message(FATAL_ERROR "ia32 build: CHACM_IDLC='${CHACM_IDLC}' is not the host's IDL compiler; "
                      "build the hosted tree first (scripts/build-ia32 does both)")
endif()
add_executable(chacm-idl IMPORTED)
set_target_properties(chacm-idl PROPERTIES IMPORTED_LOCATION ${CHACM_IDLC})

set(CHACM_MODULE_DIR ${CMAKE_BINARY_DIR}/programs)
set(CHACM_IDL_DIR ${CMAKE_SOURCE_DIR}/ipc/idl)
include(cmake/ChacmFreestanding.cmake)
add_library(chacm_freestanding INTERFACE)
chacm_freestanding_setup(chacm_freestanding ia32
  ${CMAKE_SOURCE_DIR}/l4shim/include ${CMAKE_SOURCE_DIR}/servers/lib/include)
include(cmake/ChacmModule.cmake)

add_subdirectory(servers/lib)
add_subdirectory(l4shim/ia32)
add_subdirectory(ipc/runtime)
include(cmake/ChacmIdl.cmake)
add_subdirectory(servers)

# The stubs of every interface, clients and servers, compiled for ia32
# whether or not a program uses them yet.
file(GLOB _idls CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/ipc/idl/*.idl)
set(_clients "/* Generated: includes every interface's client stubs. */\n")
foreach(_idl IN LISTS _idls)
  get_filename_component(_base ${_idl} NAME_WE)
  string(APPEND _clients "#include \"${_base}_client.h\"\n")
endforeach()
string(APPEND _clients "int chacm_ia32_stubs_anchor;\n")
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/idl_clients.c CONTENT "${_clients}")
add_library(chacm_idl_stubs STATIC ${CMAKE_BINARY_DIR}/idl_clients.c)
target_link_libraries(chacm_idl_stubs PRIVATE chacm_freestanding)
chacm_idl(chacm_idl_stubs ${_idls})

# programs.list: one line per program, "name source-directory", for the
# checks of the hosted build (tests/ia32).
get_property(_lines GLOBAL PROPERTY CHACM_IA32_PROGRAMS)
list(JOIN _lines "\n" _text)
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/programs.list CONTENT "${_text}\n")
