//! `#[ipc::command]`: declares a Tauri command of the agencydesk app once. The one declaration
//! yields
//! - the `#[tauri::command]` function itself,
//! - a tracing span around it (`skip_all`: only the command's name and its `*_id` arguments are
//!   recorded, never a key, a pasted secret or a transcript; a failure is logged by its
//!   user-facing message),
//! - a call of `crate::ipc::answered` with the command's answer once its body has run (the test
//!   build records every answer for the leak scan; the shipped app's `answered` is empty),
//! - its entry in the IPC contract: a hidden item of the same name in the type namespace (the
//!   function lives in the value namespace, so both coexist) implementing the app crate's
//!   `ipc::Command` with the argument names as the UI sends them and their TypeScript types.
//!
//! The contract names `crate::ipc`, so the attribute is meant for the app crate only. An argument
//! whose type has no `ts_rs::TS` implementation (a `SecretKey`) states its TypeScript type with
//! `#[ts(type = "string")]`. Arguments Tauri fills in itself (`State`, `AppHandle`, windows) are
//! not part of the contract.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{
    parse_macro_input, FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type,
};

/// Argument types Tauri injects rather than reading from the UI's JSON.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

/// Argument types never recorded in a span, whatever the argument is called.
const SECRET_TYPES: &[&str] = &["SecretKey", "Sensitive"];

#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr = Tokens::from(attr);
        return syn::Error::new(attr.span(), "#[ipc::command] takes no arguments")
            .to_compile_error()
            .into();
    }
    let mut func = parse_macro_input!(item as ItemFn);
    match expand(&mut func) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// One argument the UI sends.
struct Arg {
    name: syn::Ident,
    ty: Type,
    /// `#[ts(type = "...")]`: the TypeScript type, for a Rust type without `TS`.
    ts_override: Option<syn::LitStr>,
}

fn expand(func: &mut ItemFn) -> syn::Result<Tokens> {
    let name = func.sig.ident.clone();
    let vis = func.vis.clone();
    let args = take_args(func)?;

    let (result_ty, is_result) = result_type(&func.sig.output);
    let fields = span_fields(&name, &args);
    let err = is_result.then(|| quote!(, err(Display, level = "info")));
    let instrument = quote! {
        #[::tracing::instrument(skip_all, fields(#fields) #err)]
    };

    let command_name = name.to_string();
    record_answer(func, &command_name);
    let arg_entries = args.iter().map(|arg| {
        let snake = arg.name.to_string();
        let ts = match &arg.ts_override {
            Some(lit) => quote!(::std::string::String::from(#lit)),
            None => {
                let ty = &arg.ty;
                quote!(<#ty as ::ts_rs::TS>::name(cfg))
            }
        };
        quote!(crate::ipc::Arg::new(#snake, #ts))
    });
    let visited = args
        .iter()
        .filter(|arg| arg.ts_override.is_none())
        .map(|arg| &arg.ty)
        .chain(result_ty.as_ref())
        .map(|ty| quote_spanned!(ty.span()=> types.add::<#ty>();));
    let result_ts = match &result_ty {
        Some(ty) => quote!(<#ty as ::ts_rs::TS>::name(cfg)),
        None => quote!(::std::string::String::from("void")),
    };

    Ok(quote! {
        #[::tauri::command]
        #instrument
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        impl crate::ipc::Command for #name {
            const NAME: &'static str = #command_name;

            fn args(cfg: &::ts_rs::Config) -> ::std::vec::Vec<crate::ipc::Arg> {
                let _ = cfg;
                ::std::vec![#(#arg_entries),*]
            }

            fn result(cfg: &::ts_rs::Config) -> ::std::string::String {
                let _ = cfg;
                #result_ts
            }

            fn visit_types(types: &mut crate::ipc::TypeSet) {
                let _ = &types;
                #(#visited)*
            }
        }
    })
}

/// Moves the body into an inner function with the same signature and hands its answer to
/// `crate::ipc::answered` before returning it. An inner function, not a block, so `return` and
/// `?` in the body keep their meaning.
fn record_answer(func: &mut ItemFn, command_name: &str) {
    let mut inner = func.sig.clone();
    inner.ident = format_ident!("__{}_body", func.sig.ident);
    let inner_name = &inner.ident;
    let mut names = Vec::new();
    for input in &mut func.sig.inputs {
        if let FnArg::Typed(typed) = input {
            if let Pat::Ident(pat) = typed.pat.as_mut() {
                // Only the inner function mutates its arguments.
                pat.mutability = None;
                pat.by_ref = None;
                names.push(pat.ident.clone());
            }
        }
    }
    let call = match func.sig.asyncness {
        Some(_) => quote!(#inner_name(#(#names),*).await),
        None => quote!(#inner_name(#(#names),*)),
    };
    let body = func.block.clone();
    *func.block = syn::parse_quote!({
        #inner #body
        let answer = #call;
        crate::ipc::answered(#command_name, &answer);
        answer
    });
}

/// The arguments the UI sends, with `#[ts(...)]` attributes taken off the function.
fn take_args(func: &mut ItemFn) -> syn::Result<Vec<Arg>> {
    let mut args = Vec::new();
    for input in &mut func.sig.inputs {
        let FnArg::Typed(typed) = input else {
            return Err(syn::Error::new(
                input.span(),
                "a command is a free function (no self)",
            ));
        };
        let ts_override = take_ts_override(&mut typed.attrs)?;
        let Pat::Ident(pat) = typed.pat.as_ref() else {
            return Err(syn::Error::new(
                typed.pat.span(),
                "command arguments need plain names: the UI sends them by name",
            ));
        };
        if last_segment(&typed.ty).is_some_and(|s| INJECTED.contains(&s.as_str())) {
            if let Some(lit) = ts_override {
                return Err(syn::Error::new(
                    lit.span(),
                    "Tauri fills this argument in: it has no TypeScript type",
                ));
            }
            continue;
        }
        args.push(Arg {
            name: pat.ident.clone(),
            ty: (*typed.ty).clone(),
            ts_override,
        });
    }
    Ok(args)
}

fn take_ts_override(attrs: &mut Vec<syn::Attribute>) -> syn::Result<Option<syn::LitStr>> {
    let mut found = None;
    let mut error = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident("ts") {
            return true;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("type") {
                found = Some(meta.value()?.parse::<syn::LitStr>()?);
                Ok(())
            } else {
                Err(meta.error("only #[ts(type = \"...\")] is understood on a command argument"))
            }
        });
        if let Err(e) = parsed {
            error = Some(e);
        }
        false
    });
    match error {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

/// `(T, true)` for `Result<T, _>`, `(T, false)` for a plain `T`; `None` for `()` (TypeScript
/// `void`).
fn result_type(output: &ReturnType) -> (Option<Type>, bool) {
    let ReturnType::Type(_, ty) = output else {
        return (None, false);
    };
    let (ok, is_result) = match ok_type(ty) {
        Some(ok) => (ok, true),
        None => ((**ty).clone(), false),
    };
    let unit = matches!(&ok, Type::Tuple(t) if t.elems.is_empty());
    ((!unit).then_some(ok), is_result)
}

fn ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if segment.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(generics) = &segment.arguments else {
        return None;
    };
    generics.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

/// The span's fields: the command's name and every `*_id` argument (org, client and key ids are
/// what a log reader needs to follow a request; nothing else is recorded).
fn span_fields(name: &syn::Ident, args: &[Arg]) -> Tokens {
    let command = name.to_string();
    let ids = args
        .iter()
        .filter(|arg| arg.name.to_string().ends_with("_id"))
        .filter(|arg| !last_segment(&arg.ty).is_some_and(|s| SECRET_TYPES.contains(&s.as_str())))
        .map(|arg| {
            let ident = &arg.name;
            if last_segment(&arg.ty).as_deref() == Some("String") {
                quote!(#ident = %#ident)
            } else {
                quote!(#ident = ?#ident)
            }
        });
    quote!(command = #command #(, #ids)*)
}
